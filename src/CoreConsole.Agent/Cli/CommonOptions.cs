using System.CommandLine;
using CoreConsole.Agent.State;

namespace CoreConsole.Agent.Cli;

/// <summary>Options several subcommands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"State directory (default: ${DataDirectory.EnvironmentVariable} or {DataDirectory.PlatformDefault()})",
    };

    public static AgentStateStore Store(ParseResult parseResult, Option<string?> dataDir) =>
        new(DataDirectory.Resolve(parseResult.GetValue(dataDir)));

    /// <summary>Prints a one-line error and returns the exit code for it.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}

using System.CommandLine;

namespace CoreConsole.Agent.Cli;

/// <summary>The agent's subcommands. Add a new one (e.g. <c>bsdp</c>) as Cli/XxxCommand.cs with a static Create() and list it here.</summary>
public static class AgentCommands
{
    public static IEnumerable<Command> All() =>
    [
        EnrollCommand.Create(),
        RunCommand.Create(),
        StatusCommand.Create(),
        PortalCommand.Create(),
        BsdpCommand.Create(),
    ];
}

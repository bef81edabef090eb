using System.Diagnostics;
using System.Text;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>The real <c>coreconsole-agent</c> (built with this test project), run as its own process with <c>dotnet</c>.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;

    /// <summary>bin/&lt;Configuration&gt;/net10.0/coreconsole-agent.dll of src/CoreConsole.Agent, matching this test build.</summary>
    public static string AgentDll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory); // tests/CoreConsole.IntegrationTests/bin/<Config>/<tfm>/
            var tfm = bin.Name;
            var configuration = bin.Parent!.Name;
            var root = bin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CoreConsole.sln"))) root = root.Parent;
            if (root is null) throw new InvalidOperationException("Repository root (CoreConsole.sln) not found above " + AppContext.BaseDirectory);
            var dll = Path.Combine(root.FullName, "src", "CoreConsole.Agent", "bin", configuration, tfm, "coreconsole-agent.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/CoreConsole.Agent first", dll);
        }
    }

    public static AgentProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AgentDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>Runs a subcommand to completion; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var process = Start(args);
        using var cts = new CancellationTokenSource(timeout);
        await process._process.WaitForExitAsync(cts.Token);
        process._process.WaitForExit(); // drain the output readers
        return (process._process.ExitCode, process.Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

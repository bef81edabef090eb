using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoreConsole.IntegrationTests.Subnets;

/// <summary>A real <c>coreconsole-agent</c> process (the built agent dll under <c>dotnet</c>) with its own state directory.</summary>
public sealed class AgentProcess : IDisposable
{
    private Process? _process;

    public AgentProcess(string root, string hostName, string ipWithPrefix)
    {
        HostName = hostName;
        Ip = ipWithPrefix;
        DataDirectory = Path.Combine(root, hostName);
        Directory.CreateDirectory(DataDirectory);
    }

    public string HostName { get; }
    public string Ip { get; }
    public string Address => Ip.Split('/')[0];
    public string DataDirectory { get; }
    public Guid AgentId { get; private set; }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public static string AgentDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
            var root = FindRepoRoot();
            var dll = Path.Combine(root, "src", "CoreConsole.Agent", "bin", configuration, "net10.0", "coreconsole-agent.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/CoreConsole.Agent first", dll);
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoreConsole.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CoreConsole.sln not found above the test output");
    }

    public async Task EnrollAsync(Uri core, string token)
    {
        var (code, output) = await RunToEndAsync("enroll", "--core", core.ToString(), "--token", token, "--ip", Ip, "--hostname", HostName,
            "--serial", "DRILL-" + HostName.ToUpperInvariant(), "--data-dir", DataDirectory);
        if (code != 0) throw new InvalidOperationException($"enroll failed ({code}): {output}");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "agent-state.json")))!.AsObject();
        AgentId = Guid.Parse(state["agentId"]!.GetValue<string>());
    }

    public void Start()
    {
        var psi = Psi("run", "--data-dir", DataDirectory);
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>kill -9: no chance to stop serving or tell anyone.</summary>
    public void Kill9()
    {
        if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
    }

    /// <summary>The role the agent's own state file says it holds (null once it stopped serving).</summary>
    public JsonNode? LastRole()
    {
        var text = File.ReadAllText(Path.Combine(DataDirectory, "agent-state.json"));
        return JsonNode.Parse(text)?["lastRole"];
    }

    private ProcessStartInfo Psi(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(AgentDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private async Task<(int, string)> RunToEndAsync(params string[] args)
    {
        using var p = Process.Start(Psi(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Kill9();
}

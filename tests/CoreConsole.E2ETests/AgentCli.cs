using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CoreConsole.E2ETests;

/// <summary>The built <c>coreconsole-agent</c> (its dll under <c>dotnet</c>), run as admins and Macs would run it.</summary>
public static class AgentCli
{
    /// <summary>The agent dll of the same configuration as this test assembly; the test is skipped when it was not built.</summary>
    public static string Dll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (tfm, configuration) = (bin.Name, bin.Parent!.Name); // bin/<Configuration>/<tfm>
            var root = bin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CoreConsole.sln"))) root = root.Parent;
            var dll = root is null ? "" : Path.Combine(root.FullName, "src", "CoreConsole.Agent", "bin", configuration, tfm, "coreconsole-agent.dll");
            Assert.SkipUnless(File.Exists(dll), $"coreconsole-agent.dll is missing ({dll}): build src/CoreConsole.Agent");
            return dll;
        }
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>Runs one command to its end (killed after <paramref name="timeout"/>).</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return (process.HasExited ? process.ExitCode : -1, await stdout, await stderr);
    }

    /// <summary>Whether this process may bind a port below 1024: the probe receives on 68 like a Mac, and Apple's servers
    /// (ours too) never answer an unprivileged reply port.</summary>
    public static bool CanBindPrivileged(IPAddress address)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 68));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public const string NoPrivilegedPort = "the Mac-shaped probe receives on port 68 like a Mac: needs root or CAP_NET_BIND_SERVICE";

    /// <summary>A UDP port that was free a moment ago on <paramref name="address"/>.</summary>
    public static int FreeUdpPort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>A long-running <c>coreconsole-agent run</c> with its output kept for the failure message.</summary>
public sealed class AgentRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public AgentRun(params string[] args)
    {
        _process = Process.Start(AgentCli.StartInfo(args))!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output.TakeLast(60));

    /// <summary>kill -9: no chance to stop serving or to tell anyone.</summary>
    public async Task Kill9Async()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill9Async();
        _process.Dispose();
    }
}

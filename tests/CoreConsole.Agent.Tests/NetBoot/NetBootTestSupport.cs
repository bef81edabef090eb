using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CoreConsole.Agent.Tests.NetBoot;

/// <summary>coreconsole-agent as a real child process (the apphost next to the test assembly), with its output captured.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Executable
    {
        get
        {
            var name = OperatingSystem.IsWindows() ? "coreconsole-agent.exe" : "coreconsole-agent";
            return Path.Combine(AppContext.BaseDirectory, name);
        }
    }

    public static AgentProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new AgentProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Executable));
    }

    /// <summary>Runs to completion; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var process = Start(args);
        var exit = await process.WaitForExitAsync(timeout);
        return (exit, process.StdOut, process.StdErr);
    }

    public int Id => _process.Id;
    public string StdOut => string.Join('\n', _stdout);
    public string StdErr => string.Join('\n', _stderr);
    public bool HasExited => _process.HasExited;

    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_stdout.FirstOrDefault(predicate) is { } line) return line;
            if (_process.HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line '{what}' within {timeout.TotalSeconds} s; exited={_process.HasExited}\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Executable} did not exit within {timeout.TotalSeconds} s\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd or kill(1) sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}");
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

internal static class LoopbackPorts
{
    /// <summary>A UDP port that was free a moment ago on <paramref name="address"/>.</summary>
    public static int FreeUdp(IPAddress? address = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int _next = Random.Shared.Next(0, 200);

    /// <summary>
    /// A loopback address of its own for each probe, so several probes (and other test runs) can each bind the Mac reply
    /// port 68 at the same time.
    /// </summary>
    public static IPAddress NextProbeAddress()
    {
        int n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 77, (byte)(Environment.ProcessId % 250 + 1), (byte)(n % 250 + 2)]);
    }

    public const string NoPrivilegedPort = "binding the Mac reply port 68 needs root or CAP_NET_BIND_SERVICE, as for a real BSDP client";

    /// <summary>Whether this process may bind a port below 1024 (the probe receives on 68 like a Mac).</summary>
    public static bool CanBindPrivileged()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(NextProbeAddress(), 68));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}

/// <summary>An NBI root built from the real NBImageInfo.plist fixtures, with small generated booters and DMGs.</summary>
internal sealed class NbiRoot : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cc-nbiroot-" + Guid.NewGuid().ToString("N")[..10]);

    public NbiRoot() => Directory.CreateDirectory(Path);

    public static string Fixtures
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures", "nbi");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("tests/fixtures/nbi not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Copies a fixture plist (optionally edited) into <c>&lt;fixture&gt;.nbi</c>; returns the folder.</summary>
    public string AddFixture(string fixture, Func<string, string>? edit = null, string[]? booterArchs = null, string? dmg = null,
        int booterBytes = 40_000, string? folderName = null)
    {
        var folder = System.IO.Path.Combine(Path, (folderName ?? fixture) + ".nbi");
        Directory.CreateDirectory(folder);
        var plist = File.ReadAllText(System.IO.Path.Combine(Fixtures, fixture + ".nbi", "NBImageInfo.plist"));
        File.WriteAllText(System.IO.Path.Combine(folder, "NBImageInfo.plist"), edit is null ? plist : edit(plist));
        foreach (var arch in booterArchs ?? [])
        {
            Directory.CreateDirectory(System.IO.Path.Combine(folder, arch));
            var bytes = new byte[booterBytes];
            Random.Shared.NextBytes(bytes);
            File.WriteAllBytes(System.IO.Path.Combine(folder, arch, "booter"), bytes);
        }
        if (dmg is not null) File.WriteAllBytes(System.IO.Path.Combine(folder, dmg), "a small stand-in DMG"u8.ToArray());
        return folder;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

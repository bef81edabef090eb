using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>The console as a real OS process (<c>dotnet CoreConsole.Web.dll --urls …</c>), so a test can kill -9 it.</summary>
public sealed class ConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ConsoleProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string WebDll()
    {
        // tests/CoreConsole.IntegrationTests/bin/<Configuration>/net10.0 → src/CoreConsole.Web/bin/<Configuration>/net10.0
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent!.Name;
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CoreConsole.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
        var dll = Path.Combine(root.FullName, "src", "CoreConsole.Web", "bin", configuration, baseDir.Name, "CoreConsole.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/CoreConsole.Web first", dll);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task<ConsoleProcess> StartAsync(string dataDirectory, int port, IReadOnlyDictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{port}");
        var dll = WebDll();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", url.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["CoreConsole__DataDirectory"] = dataDirectory;
        info.Environment["Database__Provider"] = "Sqlite";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var console = new ConsoleProcess(process, url);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (console._output) console._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (console._output) console._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new InvalidOperationException($"The console exited ({process.ExitCode}):\n{console.Output}");
            try
            {
                if ((await http.GetAsync(new Uri(url, "/healthz"))).IsSuccessStatusCode) return console;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        console.Kill();
        throw new TimeoutException($"The console did not become healthy:\n{console.Output}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, like a power cut.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

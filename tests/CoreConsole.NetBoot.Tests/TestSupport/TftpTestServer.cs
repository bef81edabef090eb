using System.Net;
using CoreConsole.NetBoot.Tftp;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>A TFTP server on 127.0.0.1 and a free port, serving a fresh temp directory (and a sibling "outside" dir).</summary>
internal sealed class TftpTestServer : IAsyncDisposable
{
    private readonly NbiTempDir _dir = new();

    private TftpTestServer() { }

    public TftpServer Server { get; private set; } = null!;

    public string Root => _dir.Combine("root");

    /// <summary>A directory beside the root: anything here must never be served.</summary>
    public string Outside => _dir.Combine("outside");

    public int Port => Server.LocalEndPoint!.Port;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static async Task<TftpTestServer> StartAsync(Func<TftpServerOptions, TftpServerOptions>? configure = null)
    {
        var t = new TftpTestServer();
        Directory.CreateDirectory(t.Root);
        Directory.CreateDirectory(t.Outside);
        var options = new TftpServerOptions { RootDirectory = t.Root, BindAddress = IPAddress.Loopback, Port = 0, DefaultTimeout = TimeSpan.FromMilliseconds(500) };
        t.Server = new TftpServer(configure?.Invoke(options) ?? options, null);
        await t.Server.StartAsync(TestContext.Current.CancellationToken);
        return t;
    }

    public string AddFile(string relative, byte[] content)
    {
        string full = Path.Combine([Root, .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public static byte[] RandomBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A scratch directory for client downloads.</summary>
    public string Downloads
    {
        get
        {
            string d = _dir.Combine("downloads");
            Directory.CreateDirectory(d);
            return d;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}

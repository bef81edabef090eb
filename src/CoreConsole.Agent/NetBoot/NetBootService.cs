using System.Net;
using System.Net.Sockets;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Hosting;
using CoreConsole.NetBoot.Tftp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.Agent.NetBoot;

/// <summary>Where and how to serve a catalogue: BSDP and TFTP listeners, the address Macs are told, the TFTP root.</summary>
public sealed record NetBootServeOptions
{
    /// <summary>Option 54 / siaddr / what SELECT must name: the address Macs reach this machine on.</summary>
    public required IPAddress ServerAddress { get; init; }

    /// <summary>Directory the booter paths in the catalogue are relative to.</summary>
    public required string TftpRoot { get; init; }

    public IPEndPoint BsdpListen { get; init; } = new(IPAddress.Any, 67);
    public IPEndPoint TftpListen { get; init; } = new(IPAddress.Any, 69);
    public ushort Priority { get; init; } = BsdpLimits.DefaultBasePriority;
    public int MaxBlockSize { get; init; } = 1468;

    /// <summary>BSDP reply ports at or above this are refused (Apple: 1024). Only labs and tests raise it.</summary>
    public int ReplyPortLimit { get; init; } = BsdpLimits.PrivilegedPortLimit;
}

/// <summary>
/// Serves one <see cref="BootCatalog"/> with BSDP and TFTP: the single code path of <c>bsdp serve</c> and of an elected
/// representative. The catalogue can be swapped while serving (atomic: a request sees the old or the new one, never
/// neither). ACK[SELECT] is refused with ACK[FAILED] when the booter is not on disk, rather than sending a Mac to a 404.
/// </summary>
public sealed class NetBootService : IAsyncDisposable
{
    private readonly NetBootServeOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BsdpServer? _bsdp;
    private TftpServer? _tftp;

    public NetBootService(NetBootServeOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerAddress.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("BSDP needs an IPv4 server address.", nameof(options));
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public NetBootServeOptions Options => _options;
    public bool IsServing => _bsdp is not null;
    public IPEndPoint? BsdpEndPoint => _bsdp?.LocalEndPoint;
    public IPEndPoint? TftpEndPoint => _tftp?.LocalEndPoint;
    public BootCatalog? Catalog => _bsdp?.Responder.Catalog;
    public BsdpServerStatistics? Statistics => _bsdp?.GetStatistics();

    /// <summary>
    /// Binds both listeners and starts answering with <paramref name="catalog"/>; returns the images the responder left out.
    /// Throws (and serves nothing) when either listener cannot be bound.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAsync(BootCatalog catalog, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bsdp is not null) throw new InvalidOperationException("Already serving.");
            var root = Path.GetFullPath(_options.TftpRoot);
            var tftp = new TftpServer(new TftpServerOptions
            {
                RootDirectory = root,
                BindAddress = _options.TftpListen.Address,
                Port = _options.TftpListen.Port,
                MaxBlockSize = _options.MaxBlockSize,
            }, _loggerFactory.CreateLogger<TftpServer>());
            var bsdp = new BsdpServer(new BsdpServerOptions
            {
                Endpoint = _options.BsdpListen,
                Responder = new BsdpResponderOptions
                {
                    ServerAddress = _options.ServerAddress,
                    BasePriority = _options.Priority,
                    ReplyPortLimit = _options.ReplyPortLimit,
                    BootFileExists = (image, arch) => image.BootFilePaths.TryGetValue(arch, out var path) && BootFileExists(root, path),
                },
            }, logger: _loggerFactory.CreateLogger<BsdpServer>());
            var problems = bsdp.UpdateCatalog(catalog);
            try
            {
                // TFTP first: a Mac told to boot must find the booter.
                await tftp.StartAsync(cancellationToken).ConfigureAwait(false);
                await bsdp.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await bsdp.DisposeAsync().ConfigureAwait(false);
                await tftp.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            _tftp = tftp;
            _bsdp = bsdp;
            return problems;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Swaps the catalogue atomically while serving; returns the images the responder left out.</summary>
    public IReadOnlyList<string> UpdateCatalog(BootCatalog catalog) =>
        (_bsdp ?? throw new InvalidOperationException("Not serving.")).UpdateCatalog(catalog);

    /// <summary>Stops BSDP first (no new Mac is sent here), then TFTP (running transfers are cut). Safe when not serving.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bsdp is { } bsdp)
            {
                _bsdp = null;
                await bsdp.DisposeAsync().ConfigureAwait(false);
            }
            if (_tftp is { } tftp)
            {
                _tftp = null;
                await tftp.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>Whether a catalogue's booter path (relative to the TFTP root, or absolute inside it) is a file under the root.</summary>
    internal static bool BootFileExists(string root, string tftpPath)
    {
        var relative = tftpPath.TrimStart('/');
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full);
    }
}

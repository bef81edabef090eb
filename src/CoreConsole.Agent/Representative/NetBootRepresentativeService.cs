using System.Net;
using System.Net.Sockets;
using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.NetBoot;
using CoreConsole.Agent.Running;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;
using CoreConsole.NetBoot.Bsdp;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Representative;

/// <summary>Where an elected agent serves, and how early it stops before its lease runs out.</summary>
public sealed record RepresentativeOptions
{
    public IPEndPoint BsdpListen { get; init; } = new(IPAddress.Any, 67);
    public IPEndPoint TftpListen { get; init; } = new(IPAddress.Any, 69);

    /// <summary>Stop serving this long before the lease would let the core elect another (at most a quarter of the lease).</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Local copy of the catalogue's files, the TFTP root; default <c>&lt;data dir&gt;/netboot-cache</c>.</summary>
    public string? CacheDirectory { get; init; }

    public int MaxBlockSize { get; init; } = 1468;
}

/// <summary>
/// The elected representative: on a lease it fetches the catalogue, syncs its files into the local cache (reporting
/// progress), then serves BSDP + TFTP through <see cref="NetBootService"/> on the agent's advertised address. A new
/// catalogue version is synced beside the one being served and swapped in atomically. A fence timer on the monotonic
/// clock stops serving a safety margin before the lease ends, so a successor can never overlap with us; a renewal
/// re-arms it (and restarts serving if the fence had fired).
/// </summary>
public sealed partial class NetBootRepresentativeService : IRepresentativeService, IAsyncDisposable
{
    private readonly AgentStateStore _store;
    private readonly AgentCoreClient _client;
    private readonly IHttpClientFactory _httpFactory;
    private readonly InventoryCollector _inventory;
    private readonly LeaseTracker _lease;
    private readonly WakeSignal _wake;
    private readonly RepresentativeOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _cacheRoot;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _serveGate = new(1, 1);
    private readonly Timer _fence;

    // Guarded by _lock.
    private RepresentativeRole? _role;
    private long _deadlineMs;
    private string? _wantedVersion;
    private CancellationTokenSource? _sync;
    private Task _syncTask = Task.CompletedTask;
    private bool _syncing;
    private double? _progress;
    private string? _error;
    private BootCatalog? _syncedCatalog;
    private string? _syncedVersion;
    private int _failedSyncs;
    private long _retrySyncAtMs;

    // Guarded by _serveGate.
    private NetBootService? _service;
    private string? _servedVersion;
    private IPAddress? _servedAddress;

    public NetBootRepresentativeService(AgentStateStore store, AgentCoreClient client, IHttpClientFactory httpFactory, InventoryCollector inventory,
        LeaseTracker lease, WakeSignal wake, RepresentativeOptions options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _client = client;
        _httpFactory = httpFactory;
        _inventory = inventory;
        _lease = lease;
        _wake = wake;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<NetBootRepresentativeService>();
        _cacheRoot = Path.GetFullPath(options.CacheDirectory ?? Path.Combine(store.Directory, "netboot-cache"));
        _fence = new Timer(_ => _ = FenceAsync(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public const string FilesHttpClient = "netboot-files";

    /// <summary>Where BSDP listens while serving (with the real port when 0 was asked); null when not serving.</summary>
    public IPEndPoint? BsdpEndPoint => _service?.BsdpEndPoint;
    public IPEndPoint? TftpEndPoint => _service?.TftpEndPoint;
    public string CacheRoot => _cacheRoot;

    public RepresentativeStatus? Status
    {
        get
        {
            lock (_lock)
            {
                if (_role is null) return null;
                bool serving = _service is not null;
                return new RepresentativeStatus
                {
                    Subnet = _role.Subnet,
                    Term = _role.Term,
                    State = serving ? RepresentativeState.Serving
                        : _syncing ? RepresentativeState.Syncing
                        : _error is not null ? RepresentativeState.Error
                        : RepresentativeState.Idle,
                    SyncProgress = _syncing ? _progress : null,
                    CatalogueVersion = (serving ? _servedVersion : null) ?? _syncedVersion ?? _wantedVersion,
                    Error = _error,
                    BsdpReplies = _service?.Statistics?.Replies,
                };
            }
        }
    }

    public async Task OnLeaseAsync(RepresentativeRole role, CatalogueReference? catalogue, CancellationToken cancellationToken)
    {
        bool subnetChanged;
        bool resume;
        lock (_lock)
        {
            subnetChanged = _role is not null && _role.Subnet != role.Subnet;
            if (subnetChanged || _role is null) LogLease(role.Subnet, role.Term, role.LeaseSeconds, catalogue?.Version ?? "none");
            _role = role;
            var remaining = _lease.Remaining ?? TimeSpan.Zero;
            var margin = TimeSpan.FromTicks(Math.Min(_options.SafetyMargin.Ticks, TimeSpan.FromSeconds(role.LeaseSeconds).Ticks / 4));
            _deadlineMs = _lease.NowMilliseconds + (long)(remaining - margin).TotalMilliseconds;
            _fence.Change(TimeSpan.FromMilliseconds(Math.Max(0, _deadlineMs - _lease.NowMilliseconds)), Timeout.InfiniteTimeSpan);

            if (catalogue is null)
            {
                // The core publishes a catalogue when an admin saves the image mapping; until then there is nothing to offer Macs.
                _error = "no NetBoot image mapping is published yet: choose a default image on the NetBoot images page and save it";
                return;
            }
            bool syncDone = _syncTask.IsCompleted;
            bool newVersion = catalogue.Version != _wantedVersion;
            // A failed sync is retried at a renewal once its backoff is over, not at every renewal (the share or the
            // core may be what is failing, and a representative renews every couple of seconds).
            bool retry = syncDone && _syncedVersion != catalogue.Version && _lease.NowMilliseconds >= _retrySyncAtMs;
            if (newVersion || retry)
            {
                // New version, or the last attempt failed: (re)sync. A running older sync is abandoned.
                if (newVersion) (_failedSyncs, _retrySyncAtMs) = (0, 0);
                _wantedVersion = catalogue.Version;
                _sync?.Cancel();
                _sync = new CancellationTokenSource();
                var token = _sync.Token;
                var previous = _syncTask;
                _syncTask = Task.Run(() => SyncAndServeAsync(previous, catalogue, token), CancellationToken.None);
                resume = false;
            }
            else
            {
                resume = syncDone && _syncedCatalog is not null;
            }
        }

        if (subnetChanged) await StopServingAsync("the role moved to another subnet").ConfigureAwait(false);
        // A renewal after the fence fired (or after a bind error): serve the synced catalogue again.
        if (resume) await ServeAsync().ConfigureAwait(false);
    }

    public async Task StopAsync(string reason, CancellationToken cancellationToken)
    {
        Task sync;
        RepresentativeRole? role;
        lock (_lock)
        {
            role = _role;
            _role = null;
            _deadlineMs = 0;
            _fence.Change(Timeout.Infinite, Timeout.Infinite);
            _sync?.Cancel();
            sync = _syncTask;
            _wantedVersion = null;
            _error = null;
            _syncing = false;
        }
        await StopServingAsync(reason).ConfigureAwait(false);
        try { await sync.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        if (role is not null) LogStop(role.Subnet, role.Term, reason);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync("agent stopping", CancellationToken.None).ConfigureAwait(false);
        await _fence.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SyncAndServeAsync(Task previous, CatalogueReference reference, CancellationToken cancellationToken)
    {
        try { await previous.ConfigureAwait(false); } catch { /* the previous attempt reported its own outcome */ }
        SetSyncing(0);
        try
        {
            var state = _store.Load();
            var document = await _client.GetCatalogueAsync(state.Credentials, reference.Url, cancellationToken).ConfigureAwait(false);
            var catalog = CatalogueConverter.ToBootCatalog(document, out var problems);
            foreach (var problem in problems) LogCatalogueProblem(problem);

            var http = _httpFactory.CreateClient(FilesHttpClient);
            var sync = new CatalogueFileSync(http, new Uri(state.CoreUrl.TrimEnd('/') + "/"), state.Credentials);
            var progress = new SyncProgress(this);
            var inUse = await sync.SyncAsync(document.Images.SelectMany(i => i.Files), _cacheRoot, progress, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            lock (_lock)
            {
                _syncedCatalog = catalog;
                _syncedVersion = document.Version;
                _syncing = false;
                _progress = null;
                _error = null;
                (_failedSyncs, _retrySyncAtMs) = (0, 0);
            }
            LogSynced(document.Version, document.Images.Count, inUse.Count);
            if (await ServeAsync().ConfigureAwait(false))
                CatalogueFileSync.RemoveUnused(_cacheRoot, inUse); // the served catalogue no longer names them
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Superseded by a newer catalogue or the role ended.
        }
        catch (Exception e) when (e is CatalogueSyncException or HttpRequestException or AgentApiException or IOException
                                       or UnauthorizedAccessException or TaskCanceledException or System.Text.Json.JsonException)
        {
            lock (_lock)
            {
                _failedSyncs++;
                _retrySyncAtMs = _lease.NowMilliseconds + (long)SyncRetryDelay(_failedSyncs).TotalMilliseconds;
            }
            Fail($"catalogue {reference.Version}: {e.Message}");
        }
        finally
        {
            lock (_lock) _syncing = false;
        }
    }

    /// <summary>Starts serving the synced catalogue, or swaps it in while serving. False when not serving afterwards.</summary>
    private async Task<bool> ServeAsync()
    {
        await _serveGate.WaitAsync().ConfigureAwait(false);
        try
        {
            BootCatalog? catalog;
            string? version;
            RepresentativeRole? role;
            lock (_lock)
            {
                catalog = _syncedCatalog;
                version = _syncedVersion;
                role = _role;
                // Never (re)start inside the safety margin: the fence would have to stop us again at once.
                if (role is null || catalog is null || _lease.NowMilliseconds >= _deadlineMs) return _service is not null && role is not null;
            }

            if (_service is not null)
            {
                if (_servedVersion != version)
                {
                    _service.UpdateCatalog(catalog); // atomic: each request sees the old or the new catalogue
                    _servedVersion = version;
                    LogSwapped(version ?? "?");
                }
                return true;
            }

            var address = AdvertisedAddress(role.Subnet);
            if (address is null)
            {
                Fail($"no advertised IPv4 address of this agent lies in {role.Subnet}");
                return false;
            }
            var service = new NetBootService(new NetBootServeOptions
            {
                ServerAddress = address,
                TftpRoot = _cacheRoot,
                BsdpListen = _options.BsdpListen,
                TftpListen = _options.TftpListen,
                MaxBlockSize = _options.MaxBlockSize,
            }, _loggerFactory);
            try
            {
                Directory.CreateDirectory(_cacheRoot);
                await service.StartAsync(catalog).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
            {
                await service.DisposeAsync().ConfigureAwait(false);
                Fail($"cannot listen on BSDP {_options.BsdpListen} / TFTP {_options.TftpListen}: {e.Message}");
                return false;
            }
            _service = service;
            _servedVersion = version;
            _servedAddress = address;
            lock (_lock) _error = null;
            LogServing(role.Subnet, address, service.BsdpEndPoint!, service.TftpEndPoint!, version ?? "?");
            _wake.Wake(); // tell the core at once that we serve
            return true;
        }
        finally
        {
            _serveGate.Release();
        }
    }

    private async Task StopServingAsync(string reason)
    {
        await _serveGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_service is null) return;
            await _service.DisposeAsync().ConfigureAwait(false);
            _service = null;
            _servedVersion = null;
            LogStoppedServing(_servedAddress?.ToString() ?? "?", reason);
        }
        finally
        {
            _serveGate.Release();
        }
    }

    /// <summary>The fence: runs at the deadline; a renewal that moved the deadline later makes it a no-op.</summary>
    private async Task FenceAsync()
    {
        lock (_lock)
        {
            if (_role is null) return;
            long left = _deadlineMs - _lease.NowMilliseconds;
            if (left > 0)
            {
                // Fired a little early (timer granularity): wait out the rest.
                _fence.Change(TimeSpan.FromMilliseconds(left), Timeout.InfiniteTimeSpan);
                return;
            }
        }
        try
        {
            await StopServingAsync("the lease ends within the safety margin and was not renewed").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogFenceFailed(e);
        }
    }

    private IPAddress? AdvertisedAddress(string subnet)
    {
        var addresses = _inventory.AdvertisedIpv4()
            .Select(i => IPAddress.TryParse(i.Address, out var a) ? a : null)
            .OfType<IPAddress>()
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        if (!Ipv4Cidr.TryParse(subnet, out var cidr)) return addresses.FirstOrDefault();
        return addresses.FirstOrDefault(a => InSubnet(a, cidr));
    }

    internal static bool InSubnet(IPAddress address, Ipv4Cidr subnet)
    {
        uint mask = subnet.PrefixLength == 0 ? 0 : uint.MaxValue << (32 - subnet.PrefixLength);
        uint a = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        uint n = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(subnet.Address.GetAddressBytes());
        return (a & mask) == (n & mask);
    }

    private void SetSyncing(double progress)
    {
        lock (_lock)
        {
            _syncing = true;
            _progress = progress;
        }
    }

    /// <summary>2 s after the first failed sync, doubling up to a minute.</summary>
    internal static TimeSpan SyncRetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(60, 2 * Math.Pow(2, Math.Min(failures, 8) - 1)));

    private void Fail(string error)
    {
        lock (_lock) _error = error;
        LogError(error);
        _wake.Wake();
    }

    private sealed class SyncProgress(NetBootRepresentativeService owner) : IProgress<double>
    {
        public void Report(double value) => owner.SetSyncing(Math.Round(value, 3));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Elected representative for {Subnet} (term {Term}, lease {LeaseSeconds} s, catalogue {Catalogue})")]
    private partial void LogLease(string subnet, long term, int leaseSeconds, string catalogue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Representative role for {Subnet} (term {Term}) ended: {Reason}")]
    private partial void LogStop(string subnet, long term, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue {Version} synced: {Images} images, {Files} files in the cache")]
    private partial void LogSynced(string version, int images, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalogue: {Problem}")]
    private partial void LogCatalogueProblem(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Subnet} as {Address}: BSDP on {Bsdp}, TFTP on {Tftp}, catalogue {Version}")]
    private partial void LogServing(string subnet, IPAddress address, IPEndPoint bsdp, IPEndPoint tftp, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched to catalogue {Version} without stopping")]
    private partial void LogSwapped(string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped serving as {Address}: {Reason}")]
    private partial void LogStoppedServing(string address, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Representative: {Error}")]
    private partial void LogError(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping at the lease fence failed")]
    private partial void LogFenceFailed(Exception exception);
}

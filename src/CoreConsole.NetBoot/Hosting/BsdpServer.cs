using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CoreConsole.NetBoot.Bsdp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.NetBoot.Hosting;

/// <summary>
/// UDP host for a <see cref="BsdpResponder"/>: one socket, blocking receive loops on dedicated threads with reusable buffers, unicast replies
/// from the bound port. Nothing a packet does can end the loop; every decision is counted and logged at Debug.
/// </summary>
public sealed partial class BsdpServer : IAsyncDisposable
{
    private readonly BsdpServerOptions _options;
    private readonly ILogger _logger;
    private readonly BsdpMetrics _metrics;
    private readonly TaskCompletionSource<IPEndPoint> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _socket;
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;

    public BsdpServer(BsdpServerOptions options, BootCatalog? catalog = null, ILogger<BsdpServer>? logger = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReplyBufferSize < BsdpLimits.MinMessageSize) throw new ArgumentOutOfRangeException(nameof(options), "Reply buffer must hold 548 bytes.");
        if (options.ReceiveLoops < 1) throw new ArgumentOutOfRangeException(nameof(options), "At least one receive loop is needed.");
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = new BsdpMetrics(meterFactory);
        Responder = new BsdpResponder(options.Responder);
        if (catalog is not null) UpdateCatalog(catalog);
    }

    public BsdpResponder Responder { get; }

    /// <summary>The bound endpoint (with the real port when 0 was asked); null before start.</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>Completes with the bound endpoint once the socket listens.</summary>
    public Task<IPEndPoint> Ready => _ready.Task;

    public BsdpServerStatistics GetStatistics() => _metrics.Snapshot();

    /// <summary>Swaps the catalogue atomically; logs images that were left out.</summary>
    public IReadOnlyList<string> UpdateCatalog(BootCatalog catalog)
    {
        var problems = Responder.UpdateCatalog(catalog);
        foreach (var problem in problems) LogCatalogProblem(problem);
        LogCatalogUpdated(catalog.Images.Length, problems.Count);
        return problems;
    }

    /// <summary>Binds and starts the receive loop; returns once bound (throws if the port cannot be bound).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_socket is not null) throw new InvalidOperationException("Already started.");
        cancellationToken.ThrowIfCancellationRequested();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (OperatingSystem.IsWindows()) socket.IOControl(-1744830452 /* SIO_UDP_CONNRESET */, [0], null); // ICMP errors must not break receive
            socket.EnableBroadcast = true;
            socket.Bind(_options.Endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _stop = new CancellationTokenSource();
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        var stop = _stop.Token;
        var loops = new Task[_options.ReceiveLoops];
        for (int i = 0; i < loops.Length; i++)
            loops[i] = Task.Factory.StartNew(() => ReceiveLoop(socket, stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _loop = Task.WhenAll(loops);
        LogStarted(bound, Responder.Options.ServerAddress);
        _ready.TrySetResult(bound);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        var socket = _socket;
        if (socket is null) return;
        _stop?.Cancel();
        socket.Dispose(); // unblocks a pending receive on every platform
        await _loop.ConfigureAwait(false);
        _stop?.Dispose();
        _stop = null;
        _socket = null;
        LogStopped();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _ready.TrySetCanceled();
        _metrics.Dispose();
    }

    /// <summary>
    /// One receive loop on a dedicated thread: blocking <c>recvfrom</c>/<c>sendto</c> with a reusable
    /// <see cref="SocketAddress"/>, so a packet costs two syscalls and no allocation, thread-pool hop or epoll
    /// round trip. Several loops may share the socket (the responder and the counters are thread-safe).
    /// </summary>
    private void ReceiveLoop(Socket socket, CancellationToken stop)
    {
        var receive = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var reply = GC.AllocateUninitializedArray<byte>(_options.ReplyBufferSize, pinned: true);
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var to = new IPEndPoint(IPAddress.Any, 0).Serialize();
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(receive, SocketFlags.None, from);
            }
            catch (Exception) when (stop.IsCancellationRequested) { break; }
            catch (ObjectDisposedException) { break; }
            catch (Exception ex)
            {
                LogReceiveError(ex);
                continue;
            }
            try
            {
                Process(socket, receive.AsSpan(0, length), reply, to);
            }
            catch (Exception) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                _metrics.Drop(BsdpDropReason.InternalError);
                LogInternalError(ex);
            }
        }
    }

    private void Process(Socket socket, ReadOnlySpan<byte> request, byte[] reply, SocketAddress to)
    {
        _metrics.Request();
        var decision = Responder.Handle(request, reply);
        if (!decision.HasReply)
        {
            _metrics.Drop(decision.DropReason);
            LogDropped(decision.DropReason, request.Length);
            return;
        }
        // sockaddr_in: port at 2, IPv4 at 4 (same offsets on Linux, macOS and Windows).
        var address = to.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], decision.DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(address[4..], decision.DestinationAddress);
        try
        {
            socket.SendTo(reply.AsSpan(0, decision.ReplyLength), SocketFlags.None, to);
        }
        catch (SocketException ex)
        {
            _metrics.SendError();
            LogSendError(ex, decision.Reply);
            return;
        }
        _metrics.Reply(decision.Reply);
        LogReplied(decision.Reply, decision.ImageId, decision.ImagesListed, decision.ListTruncated, decision.DestinationPort);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "BSDP responder listening on {Endpoint}, advertising {ServerAddress}")]
    private partial void LogStarted(IPEndPoint endpoint, IPAddress serverAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "BSDP responder stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "BSDP catalogue updated: {ImageCount} images, {ProblemCount} ignored")]
    private partial void LogCatalogUpdated(int imageCount, int problemCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BSDP catalogue: {Problem}")]
    private partial void LogCatalogProblem(string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "BSDP request ({Length} bytes) dropped: {Reason}")]
    private partial void LogDropped(BsdpDropReason reason, int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "BSDP {Reply} sent (image {ImageId:X8}, {Listed} listed, truncated {Truncated}) to port {Port}")]
    private partial void LogReplied(BsdpReplyKind reply, uint imageId, int listed, bool truncated, ushort port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BSDP receive failed")]
    private partial void LogReceiveError(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BSDP {Reply} reply could not be sent")]
    private partial void LogSendError(Exception exception, BsdpReplyKind reply);

    [LoggerMessage(Level = LogLevel.Error, Message = "BSDP request handling failed unexpectedly")]
    private partial void LogInternalError(Exception exception);
}

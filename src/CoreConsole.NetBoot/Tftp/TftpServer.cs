using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.NetBoot.Tftp;

/// <summary>
/// Read-only TFTP server (RFC 1350 with the option extension, blksize, tsize and timeout: RFC 2347–2349) for Mac
/// booters. Requests arrive on the well-known port; each transfer then runs on its own ephemeral socket. Write
/// requests are refused. No exception escapes the receive loop: a bad packet costs one error packet at most.
/// </summary>
public sealed class TftpServer : IAsyncDisposable
{
    private readonly TftpServerOptions _options;
    private readonly ILogger _logger;
    private readonly TftpMetrics _metrics;
    private readonly ConcurrentDictionary<IPEndPoint, Task> _transfers = new();
    private TftpPathResolver? _resolver;
    private Socket? _socket;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public TftpServer(TftpServerOptions options, ILogger<TftpServer>? logger = null, IMeterFactory? meterFactory = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = new TftpMetrics(meterFactory);
    }

    /// <summary>The bound address and port once started (useful when <see cref="TftpServerOptions.Port"/> is 0).</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>Transfers currently running.</summary>
    public int ActiveTransfers => _transfers.Count;

    internal Meter Meter => _metrics.Meter;

    /// <summary>Binds the request socket and starts serving. Throws if the root is missing or the port is taken.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is not null) throw new InvalidOperationException("the TFTP server is already started");
        _options.Validate();
        _resolver = new TftpPathResolver(_options.RootDirectory);
        var socket = new Socket(_options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Learn which local address each request was sent to, so the reply leaves from that same address.
            if (_options.BindAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            }

            socket.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => ReceiveLoopAsync(_stopping.Token), CancellationToken.None);
        _logger.LogInformation("TFTP server serving {Root} on {EndPoint}", _resolver.RealRoot, socket.LocalEndPoint);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting requests, cancels running transfers and waits for them to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is null || _stopping is null) return;
        await _stopping.CancelAsync();
        _socket?.Dispose();
        _socket = null;
        await _loop.WaitAsync(cancellationToken);
        await Task.WhenAll(_transfers.Values).WaitAsync(cancellationToken);
        _loop = null;
        _stopping.Dispose();
        _stopping = null;
        _logger.LogInformation("TFTP server stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _metrics.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var socket = _socket!;
        var buffer = new byte[65536];
        var any = new IPEndPoint(_options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var r = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, ct);
                var local = r.PacketInformation.Address is { } a && !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.Broadcast) && !IsMulticast(a) ? a : _options.BindAddress;
                await HandleRequestAsync(socket, buffer.AsMemory(0, r.ReceivedBytes), (IPEndPoint)r.RemoteEndPoint, local, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A hostile or broken packet, or an ICMP error surfacing on the socket: log and keep serving.
                _metrics.Error("receive_loop");
                _logger.LogWarning(e, "TFTP receive loop error; continuing");
            }
        }
    }

    private static bool IsMulticast(IPAddress a) => a.IsIPv6Multicast || (a.AddressFamily == AddressFamily.InterNetwork && (a.GetAddressBytes()[0] & 0xF0) == 0xE0);

    private async Task HandleRequestAsync(Socket socket, ReadOnlyMemory<byte> packet, IPEndPoint client, IPAddress local, CancellationToken ct)
    {
        var opcode = TftpPacket.Opcode(packet.Span);
        if (opcode == TftpOpcode.WriteRequest)
        {
            await RefuseAsync(socket, client, TftpErrorCode.AccessViolation, "this TFTP server is read-only", "write_request", ct);
            return;
        }

        if (opcode != TftpOpcode.ReadRequest)
        {
            if (opcode != TftpOpcode.Error) await RefuseAsync(socket, client, TftpErrorCode.IllegalOperation, "expected a read request", "illegal_operation", ct);
            return;
        }

        if (TftpPacket.ParseRequest(packet.Span) is not { } request)
        {
            await RefuseAsync(socket, client, TftpErrorCode.IllegalOperation, "malformed read request", "malformed_request", ct);
            return;
        }

        // A retransmitted RRQ (our first reply was slow or lost) must not start a second transfer to the same TID.
        if (_transfers.ContainsKey(client)) return;
        if (_transfers.Count >= _options.MaxConcurrentTransfers)
        {
            await RefuseAsync(socket, client, TftpErrorCode.NotDefined, "server busy, try again later", "busy", ct);
            return;
        }

        // Reserve the client's slot first; the placeholder is replaced by the running transfer.
        if (!_transfers.TryAdd(client, Task.CompletedTask)) return;
        var run = Task.Run(() => RunTransferAsync(request, client, local, ct), CancellationToken.None);
        _transfers[client] = run;
        _ = run.ContinueWith(_ => _transfers.TryRemove(client, out Task? _), TaskScheduler.Default);
    }

    private async Task RefuseAsync(Socket socket, IPEndPoint client, TftpErrorCode code, string message, string reason, CancellationToken ct)
    {
        _metrics.Error(reason);
        _logger.LogInformation("TFTP refused request from {Client}: {Code} {Message}", client, code, message);
        await TftpTransfer.SendErrorAsync(socket, code, message, client, ct);
    }

    private async Task RunTransferAsync(TftpRequest request, IPEndPoint client, IPAddress local, CancellationToken ct)
    {
        _metrics.Active.Add(1);
        try
        {
            using var socket = BindTransferSocket(local);
            socket.Connect(client);
            var outcome = await ServeAsync(socket, request, client, ct);
            _metrics.Transfer(outcome);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _metrics.Transfer(TftpTransferOutcome.Failed);
        }
        catch (Exception e)
        {
            _metrics.Transfer(TftpTransferOutcome.Failed);
            _metrics.Error("exception");
            _logger.LogWarning(e, "TFTP transfer of {File} to {Client} failed", request.FileName, client);
        }
        finally
        {
            _metrics.Active.Add(-1);
        }
    }

    /// <summary>
    /// An ephemeral socket on the address the request arrived at, so replies come from the address the client used.
    /// A request sent to a broadcast address cannot be answered from it; fall back to the configured bind address.
    /// </summary>
    private Socket BindTransferSocket(IPAddress local)
    {
        foreach (var address in new[] { local, _options.BindAddress }.Distinct())
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, 0));
                return socket;
            }
            catch (SocketException) when (!address.Equals(_options.BindAddress))
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new InvalidOperationException("unreachable: the bind address always either binds or throws");
    }

    private async Task<TftpTransferOutcome> ServeAsync(Socket socket, TftpRequest request, IPEndPoint client, CancellationToken ct)
    {
        bool netascii = request.Mode == "netascii";
        if (request.Mode is not ("octet" or "netascii") || (netascii && !_options.AllowNetascii))
        {
            return await RefuseTransferAsync(socket, TftpErrorCode.IllegalOperation, $"transfer mode \"{request.Mode}\" is not supported", "bad_mode", request, client, ct);
        }

        var resolved = _resolver!.Resolve(request.FileName);
        if (resolved.FullPath is not { } path)
        {
            string reason = resolved.Error == TftpErrorCode.FileNotFound ? "not_found" : "access_violation";
            return await RefuseTransferAsync(socket, resolved.Error, resolved.Message, reason, request, client, ct);
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var code = e is FileNotFoundException or DirectoryNotFoundException ? TftpErrorCode.FileNotFound : TftpErrorCode.AccessViolation;
            return await RefuseTransferAsync(socket, code, "cannot open file", code == TftpErrorCode.FileNotFound ? "not_found" : "access_violation", request, client, ct);
        }

        await using (file)
        {
            Stream source = netascii ? new NetasciiReadStream(file) : file;
            var transfer = new TftpTransfer(socket, _options, request, source, netascii ? null : file.Length);
            var outcome = await transfer.RunAsync(ct);
            _metrics.BytesSent.Add(transfer.BytesSent);
            if (outcome == TftpTransferOutcome.Completed)
            {
                _logger.LogInformation("TFTP sent {File} ({Bytes} bytes) to {Client}", request.FileName, transfer.BytesSent, client);
            }
            else
            {
                _metrics.Error(outcome == TftpTransferOutcome.TimedOut ? "timeout" : "client_abort");
                _logger.LogWarning("TFTP transfer of {File} to {Client} ended: {Outcome} ({Reason})", request.FileName, client, outcome, transfer.FailureReason);
            }

            return outcome;
        }
    }

    private async Task<TftpTransferOutcome> RefuseTransferAsync(Socket socket, TftpErrorCode code, string message, string reason, TftpRequest request, IPEndPoint client, CancellationToken ct)
    {
        _metrics.Error(reason);
        _logger.LogInformation("TFTP refused {File} for {Client}: {Code} {Message}", request.FileName, client, code, message);
        await TftpTransfer.SendErrorAsync(socket, code, message, null, ct);
        return TftpTransferOutcome.Refused;
    }
}

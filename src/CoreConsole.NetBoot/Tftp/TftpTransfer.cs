using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CoreConsole.NetBoot.Tftp;

/// <summary>How a transfer ended; drives logs and metrics.</summary>
internal enum TftpTransferOutcome { Completed, Refused, TimedOut, AbortedByClient, Failed }

/// <summary>
/// One read transfer on its own connected socket (its own TID, RFC 1350 §4): option negotiation (RFC 2347–2349),
/// then lock-step DATA/ACK with timeout-driven retransmission. Duplicate ACKs are ignored rather than answered,
/// which avoids the Sorcerer's Apprentice bug (RFC 1123 §4.2.3.1).
/// </summary>
internal sealed class TftpTransfer(Socket socket, TftpServerOptions options, TftpRequest request, Stream source, long? size)
{
    private readonly byte[] _receive = new byte[65536];
    private TimeSpan _timeout = options.DefaultTimeout;
    private int _blockSize = 512;

    public long BytesSent { get; private set; }

    public string? FailureReason { get; private set; }

    public async Task<TftpTransferOutcome> RunAsync(CancellationToken ct)
    {
        var accepted = Negotiate();
        if (accepted.Count > 0)
        {
            var oack = TftpPacket.OptionAck(accepted);
            var ack = await SendAndAwaitAckAsync(oack, 0, ct);
            if (ack != TftpTransferOutcome.Completed) return ack;
        }

        var packet = new byte[4 + _blockSize];
        ushort block = 1;
        while (true)
        {
            int length = await FillAsync(source, packet.AsMemory(4, _blockSize), ct);
            TftpPacket.WriteDataHeader(packet, block);
            var outcome = await SendAndAwaitAckAsync(packet.AsMemory(0, 4 + length), block, ct);
            if (outcome != TftpTransferOutcome.Completed) return outcome;
            BytesSent += length;
            if (length < _blockSize) return TftpTransferOutcome.Completed;
            block = unchecked((ushort)(block + 1)); // rolls over 65535 -> 0, as tftp-hpa and curl expect
        }
    }

    /// <summary>Options we accept, in the form to echo in the OACK. Unknown or malformed options are ignored (RFC 2347).</summary>
    private List<KeyValuePair<string, string>> Negotiate()
    {
        var accepted = new List<KeyValuePair<string, string>>();
        var o = request.Options;
        if (o.TryGetValue("blksize", out var b) && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int blk) && blk is >= 8 and <= 65464)
        {
            _blockSize = Math.Min(blk, options.MaxBlockSize);
            accepted.Add(new("blksize", _blockSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (o.TryGetValue("timeout", out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int secs) && secs is >= 1 and <= 255)
        {
            _timeout = TimeSpan.FromSeconds(secs);
            accepted.Add(new("timeout", secs.ToString(CultureInfo.InvariantCulture)));
        }

        // tsize in an RRQ is a question ("0"); answer only when the size on the wire is known (not for netascii).
        if (o.ContainsKey("tsize") && size is { } s)
        {
            accepted.Add(new("tsize", s.ToString(CultureInfo.InvariantCulture)));
        }

        return accepted;
    }

    private static async Task<int> FillAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[total..], ct);
            if (n == 0) break;
            total += n;
        }

        return total;
    }

    /// <summary>Sends a packet and waits for the ACK of <paramref name="block"/>, retransmitting on each timeout.</summary>
    private async Task<TftpTransferOutcome> SendAndAwaitAckAsync(ReadOnlyMemory<byte> packet, ushort block, CancellationToken ct)
    {
        for (int attempt = 0; attempt <= options.MaxRetries; attempt++)
        {
            await socket.SendAsync(packet, SocketFlags.None, ct);
            var result = await AwaitAckAsync(block, ct);
            if (result is not null) return result.Value;
        }

        FailureReason = $"no ACK for block {block} after {options.MaxRetries} retransmissions";
        return TftpTransferOutcome.TimedOut;
    }

    /// <summary>Null on timeout; otherwise Completed (ACK received) or why the transfer must stop.</summary>
    private async Task<TftpTransferOutcome?> AwaitAckAsync(ushort block, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + _timeout;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) return null;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(remaining);
            int n;
            try
            {
                n = await socket.ReceiveAsync(_receive, SocketFlags.None, timer.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // ICMP port unreachable: the client has gone away.
                FailureReason = "client port unreachable";
                return TftpTransferOutcome.AbortedByClient;
            }

            var packet = _receive.AsSpan(0, n);
            if (TftpPacket.ParseAck(packet) is { } acked && acked == block) return TftpTransferOutcome.Completed;
            if (TftpPacket.ParseError(packet) is { } error)
            {
                FailureReason = $"client sent error {(int)error.Code} ({error.Code}): {error.Message}";
                return TftpTransferOutcome.AbortedByClient;
            }

            // Anything else (an older duplicate ACK, garbage) is ignored; keep waiting until the deadline.
        }
    }

    public static async Task SendErrorAsync(Socket socket, TftpErrorCode code, string message, EndPoint? to, CancellationToken ct)
    {
        var packet = TftpPacket.Error(code, message);
        if (to is null) await socket.SendAsync(packet, SocketFlags.None, ct);
        else await socket.SendToAsync(packet, SocketFlags.None, to, ct);
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>A hand-rolled TFTP client over UdpClient, so tests can drop ACKs, send WRQs and inspect every packet.</summary>
internal sealed class TftpRawClient : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _server;

    public TftpRawClient(IPEndPoint server) => _server = server;

    /// <summary>The transfer's own endpoint (the server's TID), learnt from its first reply.</summary>
    public IPEndPoint? Peer { get; private set; }

    public static byte[] Request(ushort opcode, string file, string mode = "octet", params (string Name, string Value)[] options)
    {
        var ms = new MemoryStream();
        ms.Write([0, (byte)opcode]);
        foreach (var s in new[] { file, mode }.Concat(options.SelectMany(o => new[] { o.Name, o.Value })))
        {
            ms.Write(Encoding.ASCII.GetBytes(s));
            ms.WriteByte(0);
        }

        return ms.ToArray();
    }

    public static byte[] Ack(ushort block) => [0, 4, (byte)(block >> 8), (byte)block];

    public Task SendToServerAsync(byte[] packet) => _udp.SendAsync(packet, packet.Length, _server);

    public Task SendToPeerAsync(byte[] packet) => _udp.SendAsync(packet, packet.Length, Peer ?? throw new InvalidOperationException("no peer yet"));

    /// <summary>Next packet, or null if nothing arrives within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            var r = await _udp.ReceiveAsync(cts.Token);
            Peer ??= r.RemoteEndPoint;
            return r.Buffer;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static ushort Opcode(byte[] p) => BinaryPrimitives.ReadUInt16BigEndian(p);

    public static ushort Block(byte[] p) => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2));

    public static Dictionary<string, string> OackOptions(byte[] p)
    {
        var parts = Encoding.ASCII.GetString(p, 2, p.Length - 3).Split('\0');
        return Enumerable.Range(0, parts.Length / 2).ToDictionary(i => parts[2 * i], i => parts[(2 * i) + 1]);
    }

    public static (ushort Code, string Message) Error(byte[] p) =>
        (BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)), Encoding.ASCII.GetString(p, 4, p.Length - 5));

    /// <summary>Reads a whole file after the first DATA/OACK handling is done by the caller: ACKs each block, returns the bytes.</summary>
    public async Task<byte[]> ReceiveFileAsync(byte[] firstData, int blockSize)
    {
        var content = new MemoryStream();
        var packet = firstData;
        ushort expected = Block(packet);
        while (true)
        {
            if (Opcode(packet) != 3) throw new InvalidOperationException($"expected DATA, got opcode {Opcode(packet)}");
            if (Block(packet) == expected)
            {
                content.Write(packet, 4, packet.Length - 4);
                await SendToPeerAsync(Ack(expected));
                if (packet.Length - 4 < blockSize) return content.ToArray();
                expected = unchecked((ushort)(expected + 1));
            }

            packet = await ReceiveAsync() ?? throw new TimeoutException($"no DATA block {expected}");
        }
    }

    public void Dispose() => _udp.Dispose();
}

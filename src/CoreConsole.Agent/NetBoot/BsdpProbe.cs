using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.Agent.NetBoot;

/// <summary>What the probe asks as: a Mac model, architecture and MAC, receiving on <see cref="Bind"/>:<see cref="ReplyPort"/>.</summary>
public sealed record BsdpProbeOptions
{
    public required IPEndPoint Server { get; init; }
    /// <summary>Local address to receive on; it is also the ciaddr the server unicasts its reply to.</summary>
    public required IPAddress Bind { get; init; }
    /// <summary>BSDP option 5. Servers refuse ports ≥ 1024 (Apple), so a real probe binds a privileged port.</summary>
    public ushort ReplyPort { get; init; } = BsdpLimits.DefaultReplyPort;
    public string Model { get; init; } = "MacBookPro14,1";
    public string Architecture { get; init; } = "i386";
    public PhysicalAddress Mac { get; init; } = PhysicalAddress.Parse("02-CC-00-00-00-01");
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);
}

public sealed record ProbeImage(uint Id, ushort Index, bool IsInstall, byte Kind, string KindName, string Name, bool IsDefault, bool IsSelected);

/// <summary>A decoded ACK[LIST].</summary>
public sealed record ProbeListReply
{
    public required string ServerIdentifier { get; init; }
    public required ushort? Priority { get; init; }
    public required uint? DefaultImage { get; init; }
    public required uint? SelectedImage { get; init; }
    public required IReadOnlyList<ProbeImage> Images { get; init; }
}

/// <summary>A decoded ACK[SELECT] or ACK[FAILED].</summary>
public sealed record ProbeSelectReply
{
    public required uint RequestedImage { get; init; }
    /// <summary>"select" or "failed".</summary>
    public required string Outcome { get; init; }
    public uint? SelectedImage { get; init; }
    public string? BootFile { get; init; }
    public string? RootPath { get; init; }
    public string? Siaddr { get; init; }
    public string? Sname { get; init; }
    public string? MachineName { get; init; }
}

/// <summary>
/// A Mac-shaped BSDP client (like Apple's <c>bsdpc</c>): sends DHCPINFORM[LIST] / INFORM[SELECT] built with the library's
/// codec and decodes the ACKs with the library's readers. Like the Startup Disk client it receives on its own port
/// (option 5) because a real DHCP client owns 68.
/// </summary>
public sealed class BsdpProbe(BsdpProbeOptions options) : IDisposable
{
    private const ushort MaxMessageSize = 8192;
    private readonly Socket _socket = Bind(options);
    private readonly uint _ciaddr = BinaryPrimitives.ReadUInt32BigEndian(options.Bind.GetAddressBytes());

    private static Socket Bind(BsdpProbeOptions options)
    {
        if (options.Mac.GetAddressBytes().Length != 6) throw new ArgumentException("MAC must be 6 bytes.", nameof(options));
        if (options.Bind.Equals(IPAddress.Any)) throw new ArgumentException("Bind a specific IPv4 address: it is the ciaddr the server replies to.", nameof(options));
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.EnableBroadcast = true;
            socket.Bind(new IPEndPoint(options.Bind, options.ReplyPort));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<ProbeListReply?> ListAsync(CancellationToken cancellationToken)
    {
        uint xid = (uint)Random.Shared.Next();
        var reply = await ExchangeAsync(BuildInform(BsdpMessageType.List, xid, null, null), xid, cancellationToken).ConfigureAwait(false);
        return reply is null ? null : DecodeList(reply);
    }

    public async Task<ProbeSelectReply?> SelectAsync(uint serverIdentifier, uint imageId, CancellationToken cancellationToken)
    {
        uint xid = (uint)Random.Shared.Next();
        var reply = await ExchangeAsync(BuildInform(BsdpMessageType.Select, xid, serverIdentifier, imageId), xid, cancellationToken).ConfigureAwait(false);
        return reply is null ? null : DecodeSelect(reply, imageId);
    }

    /// <summary>INFORM as a Mac's Startup Disk client sends it (BSDP.md §1, field-case fixtures).</summary>
    internal byte[] BuildInform(BsdpMessageType type, uint xid, uint? serverIdentifier, uint? imageId)
    {
        var buffer = new byte[1024];
        var w = new DhcpPacketWriter(buffer);
        w.WriteHeader(DhcpLayout.BootRequest);
        var header = w.Written;
        header[DhcpLayout.HType] = 1;
        header[DhcpLayout.HLen] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(header[DhcpLayout.Xid..], xid);
        BinaryPrimitives.WriteUInt32BigEndian(header[DhcpLayout.Ciaddr..], _ciaddr);
        options.Mac.GetAddressBytes().CopyTo(header[DhcpLayout.Chaddr..]);

        w.WriteOption(DhcpOptionCode.MessageType, (byte)DhcpMessageType.Inform);
        w.WriteOption(DhcpOptionCode.ParameterRequestList, [DhcpOptionCode.VendorClassIdentifier, DhcpOptionCode.VendorSpecific]);
        w.WriteOptionUInt16(DhcpOptionCode.MaxMessageSize, 1500);
        w.WriteOption(DhcpOptionCode.VendorClassIdentifier, Encoding.ASCII.GetBytes($"AAPLBSDPC/{options.Architecture}/{options.Model}"));
        int o43 = w.BeginOption(DhcpOptionCode.VendorSpecific);
        w.WriteOption(BsdpOptionCode.MessageType, (byte)type);
        w.WriteOptionUInt16(BsdpOptionCode.Version, BsdpVersion.V1_1);
        if (serverIdentifier is { } server) w.WriteOptionUInt32(BsdpOptionCode.ServerIdentifier, server);
        if (imageId is { } id) w.WriteOptionUInt32(BsdpOptionCode.SelectedBootImage, id);
        w.WriteOptionUInt16(BsdpOptionCode.ReplyPort, options.ReplyPort);
        if (type == BsdpMessageType.List) w.WriteOptionUInt16(BsdpOptionCode.MaxMessageSize, MaxMessageSize);
        w.EndOption(o43);
        w.WriteByte(DhcpOptionCode.End);
        w.PadTo(DhcpLayout.MinReplyLength);
        if (w.Overflowed) throw new InvalidOperationException("INFORM does not fit its buffer (model name too long?).");
        return buffer[..w.Position];
    }

    /// <summary>Sends once and waits for the ACK with our xid; null on timeout. Anything else arriving is ignored.</summary>
    private async Task<byte[]?> ExchangeAsync(byte[] request, uint xid, CancellationToken cancellationToken)
    {
        await _socket.SendToAsync(request, SocketFlags.None, options.Server, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var buffer = new byte[65536];
        while (true)
        {
            int length;
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token).ConfigureAwait(false);
                length = received.ReceivedBytes;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP port unreachable from an earlier send; keep waiting for the real answer
            }
            if (DhcpPacketReader.TryParse(buffer.AsSpan(0, length), out var packet)
                && packet.Op == DhcpLayout.BootReply && packet.Xid == xid && packet.MessageType == DhcpMessageType.Ack)
                return buffer[..length];
        }
    }

    internal static ProbeListReply DecodeList(byte[] bytes)
    {
        if (!DhcpPacketReader.TryParse(bytes, out var packet)) throw new FormatException("ACK is not a well-formed DHCP packet.");
        var status = BsdpVendorOptions.TryParse(packet, out var bsdp);
        if (status != BsdpVendorOptionsStatus.Ok) throw new FormatException($"ACK's BSDP options are unusable: {status}.");
        if (bsdp.MessageType != BsdpMessageType.List) throw new FormatException($"expected ACK[LIST], got BSDP message type {bsdp.MessageType}.");
        uint? defaultImage = bsdp.DefaultBootImage, selected = bsdp.SelectedBootImage;
        var images = BsdpImageListReader.ReadAll(packet).Select(i => new ProbeImage(i.Id.Value, i.Id.Index, i.Id.IsInstall, i.Id.Kind,
            KindName(i.Id.Kind), i.Name, i.Id.Value == defaultImage, i.Id.Value == selected)).ToList();
        return new ProbeListReply
        {
            ServerIdentifier = ServerIdentifier(packet),
            Priority = bsdp.ServerPriority,
            DefaultImage = defaultImage,
            SelectedImage = selected,
            Images = images,
        };
    }

    internal static ProbeSelectReply DecodeSelect(byte[] bytes, uint requested)
    {
        if (!DhcpPacketReader.TryParse(bytes, out var packet)) throw new FormatException("ACK is not a well-formed DHCP packet.");
        var status = BsdpVendorOptions.TryParse(packet, out var bsdp);
        if (status != BsdpVendorOptionsStatus.Ok) throw new FormatException($"ACK's BSDP options are unusable: {status}.");
        if (bsdp.MessageType == BsdpMessageType.Failed) return new ProbeSelectReply { RequestedImage = requested, Outcome = "failed" };
        if (bsdp.MessageType != BsdpMessageType.Select) throw new FormatException($"expected ACK[SELECT] or ACK[FAILED], got BSDP message type {bsdp.MessageType}.");
        string? rootPath = packet.TryGetOption(DhcpOptionCode.RootPath, out var root) ? Encoding.UTF8.GetString(root) : null;
        return new ProbeSelectReply
        {
            RequestedImage = requested,
            Outcome = "select",
            SelectedImage = bsdp.SelectedBootImage,
            BootFile = CString(packet.File),
            RootPath = rootPath,
            Siaddr = new IPAddress(packet.Packet.Slice(DhcpLayout.Siaddr, 4)).ToString(),
            Sname = packet.SnameHoldsOptions ? null : CString(packet.Sname),
            MachineName = bsdp.MachineName.IsEmpty ? null : Encoding.UTF8.GetString(bsdp.MachineName),
        };
    }

    private static string ServerIdentifier(in DhcpPacketReader packet) =>
        packet.TryGetOption(DhcpOptionCode.ServerIdentifier, out var v) && v.Length == 4 ? new IPAddress(v).ToString()
            : throw new FormatException("ACK has no 4-byte server identifier (option 54).");

    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>NBImageInfo Kind as BSDP.md §5.1 names it.</summary>
    public static string KindName(byte kind) => kind switch
    {
        0 => "Mac OS 9",
        1 => "Mac OS X",
        2 => "Mac OS X Server",
        3 => "Hardware Diagnostics",
        _ => $"kind {kind}",
    };

    public void Dispose() => _socket.Dispose();
}

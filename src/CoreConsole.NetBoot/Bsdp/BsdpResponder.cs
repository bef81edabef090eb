using System.Buffers.Binary;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// Answers BSDP INFORM[LIST] and INFORM[SELECT] (BSDP.md §6) with Apple bootpd semantics. Pure: bytes in, bytes
/// out plus where to send them; no sockets. Thread-safe; the catalogue can be swapped while requests run.
/// </summary>
public sealed partial class BsdpResponder
{
    private readonly BsdpResponderOptions _options;
    private readonly uint _serverAddress;
    private readonly byte[] _hostName;
    private readonly BsdpBindingTable _bindings = new();
    private volatile BsdpCompiledCatalog _catalog = BsdpCompiledCatalog.Empty;

    public BsdpResponder(BsdpResponderOptions options, BootCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _serverAddress = options.ServerAddressValue;
        _hostName = options.HostNameBytes();
        if (catalog is not null) UpdateCatalog(catalog);
    }

    public BsdpResponderOptions Options => _options;

    public BootCatalog Catalog => _catalog.Source;

    /// <summary>Atomically replaces the catalogue; returns why images were left out (empty when all are usable).</summary>
    public IReadOnlyList<string> UpdateCatalog(BootCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var compiled = BsdpCompiledCatalog.Compile(catalog);
        _catalog = compiled;
        return compiled.Problems;
    }

    public int BindingCount => _bindings.Count;

    public IReadOnlyList<BsdpBinding> GetBindings() => _bindings.Snapshot();

    /// <summary>Current option-4 value: base priority minus bindings, floored at 0.</summary>
    public ushort CurrentPriority => (ushort)Math.Max(0, _options.BasePriority - _bindings.Count);

    /// <summary>Convenience overload that allocates the destination endpoint.</summary>
    public BsdpDecision Handle(ReadOnlySpan<byte> request, Span<byte> replyBuffer, out int replyLength, out System.Net.IPEndPoint? replyTo)
    {
        var decision = Handle(request, replyBuffer);
        replyLength = decision.ReplyLength;
        replyTo = decision.Destination;
        return decision;
    }

    /// <summary>
    /// Decides on one UDP payload received on port 67. Never throws for any input. Give a reply buffer of at least
    /// 548 bytes (8192 lets clients that ask for large replies get them).
    /// </summary>
    public BsdpDecision Handle(ReadOnlySpan<byte> request, Span<byte> replyBuffer)
    {
        if (!DhcpPacketReader.TryParse(request, out var packet)) return BsdpDecision.Drop(BsdpDropReason.Malformed);
        if (packet.Op != DhcpLayout.BootRequest) return BsdpDecision.Drop(BsdpDropReason.NotBootRequest);
        if (packet.HType != 1 || packet.HLen != 6) return BsdpDecision.Drop(BsdpDropReason.UnsupportedHardwareType);
        if (packet.MessageType != DhcpMessageType.Inform) return BsdpDecision.Drop(BsdpDropReason.NotInform);
        if (!packet.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out var classBytes)
            || !BsdpVendorClass.TryParse(classBytes, out var vendorClass) || vendorClass.IsServer)
            return BsdpDecision.Drop(BsdpDropReason.NotAppleVendorClass);
        if (!IsAddressedToUs(packet)) return BsdpDecision.Drop(BsdpDropReason.NotForThisServer);

        switch (BsdpVendorOptions.TryParse(packet, out var bsdp))
        {
            case BsdpVendorOptionsStatus.Missing: return BsdpDecision.Drop(BsdpDropReason.NoVendorOptions);
            case BsdpVendorOptionsStatus.Malformed or BsdpVendorOptionsStatus.BadLength:
                return BsdpDecision.Drop(BsdpDropReason.MalformedVendorOptions);
        }
        if (bsdp.Version is not ushort version) return BsdpDecision.Drop(BsdpDropReason.NoVersion);
        if (!BsdpVersion.IsSupported(version)) return BsdpDecision.Drop(BsdpDropReason.UnsupportedVersion);
        if (bsdp.NetBoot10Firmware) return BsdpDecision.Drop(BsdpDropReason.NetBoot10Client);
        if (!bsdp.HasMessageType) return BsdpDecision.Drop(BsdpDropReason.NoMessageType);
        if (packet.Ciaddr == 0) return BsdpDecision.Drop(BsdpDropReason.NoCiaddr);
        ushort replyPort = bsdp.ReplyPort ?? BsdpLimits.DefaultReplyPort;
        if (replyPort == 0 || replyPort >= _options.ReplyPortLimit) return BsdpDecision.Drop(BsdpDropReason.BadReplyPort);
        if (replyBuffer.Length < BsdpLimits.MinMessageSize - BsdpLimits.IpUdpHeaders)
            return BsdpDecision.Drop(BsdpDropReason.ReplyBufferTooSmall);

        var client = new BsdpClient(vendorClass.Architecture, vendorClass.SystemIdentifier,
            BsdpClient.MacToInt64(packet.Chaddr), bsdp.AttributesFilter);
        var catalog = _catalog; // one snapshot per request
        return bsdp.MessageType switch
        {
            BsdpMessageType.List => HandleList(packet, bsdp, client, catalog, replyBuffer, replyPort),
            BsdpMessageType.Select => HandleSelect(packet, bsdp, client, catalog, replyBuffer, replyPort),
            _ => BsdpDecision.Drop(BsdpDropReason.UnsupportedMessageType),
        };
    }

    /// <summary>Apple ignores requests whose sname names another host or whose siaddr is another server.</summary>
    private bool IsAddressedToUs(in DhcpPacketReader packet)
    {
        if (packet.Siaddr != 0 && packet.Siaddr != _serverAddress) return false;
        if (packet.SnameHoldsOptions) return true;
        var sname = packet.Sname;
        int nul = sname.IndexOf((byte)0);
        var name = nul < 0 ? sname : sname[..nul];
        return name.IsEmpty || name.SequenceEqual(_hostName);
    }

    /// <summary>BSDP.md §6.4: option 12, else DHCP 57 (each only if 2 bytes), floor 548, cap 8192, minus IP+UDP.</summary>
    internal static int MaxReplyPayload(in DhcpPacketReader packet, in BsdpVendorOptions bsdp, int bufferLength)
    {
        int size = 0;
        if (bsdp.MaxMessageSize is ushort bsdpMax) size = bsdpMax;
        else if (packet.TryGetOption(DhcpOptionCode.MaxMessageSize, out var v) && v.Length == 2) size = BinaryPrimitives.ReadUInt16BigEndian(v);
        size = Math.Clamp(size, BsdpLimits.MinMessageSize, BsdpLimits.MaxMessageSize);
        return Math.Min(size - BsdpLimits.IpUdpHeaders, bufferLength);
    }
}

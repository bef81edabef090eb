using System.Buffers.Binary;

namespace CoreConsole.NetBoot.Dhcp;

/// <summary>
/// A validated, zero-copy view of one DHCP/BOOTP packet. <see cref="TryParse"/> checks every bound once, so
/// accessors and option lookups cannot overrun afterwards. Overloaded <c>file</c>/<c>sname</c> areas (option 52)
/// are searched after the main area, file first (Apple's order); a malformed overloaded area is ignored.
/// </summary>
public readonly ref struct DhcpPacketReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly bool _fileHasOptions;
    private readonly bool _snameHasOptions;

    private DhcpPacketReader(ReadOnlySpan<byte> packet, bool fileHasOptions, bool snameHasOptions)
    {
        _packet = packet;
        _fileHasOptions = fileHasOptions;
        _snameHasOptions = snameHasOptions;
    }

    /// <summary>False when the packet is short, lacks the magic cookie, or its options area overruns.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out DhcpPacketReader reader)
    {
        reader = default;
        if (packet.Length < DhcpLayout.MinPacketLength) return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(packet[DhcpLayout.Cookie..]) != DhcpLayout.MagicCookie) return false;
        var options = packet[DhcpLayout.Options..];
        if (!DhcpOptionEnumerator.IsWellFormed(options)) return false;

        bool file = false, sname = false;
        if (DhcpOptionEnumerator.TryFind(options, DhcpOptionCode.Overload, out var overload) && overload.Length == 1)
        {
            file = (overload[0] & 1) != 0 && DhcpOptionEnumerator.IsWellFormed(packet.Slice(DhcpLayout.File, DhcpLayout.FileLength));
            sname = (overload[0] & 2) != 0 && DhcpOptionEnumerator.IsWellFormed(packet.Slice(DhcpLayout.Sname, DhcpLayout.SnameLength));
        }
        reader = new DhcpPacketReader(packet, file, sname);
        return true;
    }

    public ReadOnlySpan<byte> Packet => _packet;
    public byte Op => _packet[DhcpLayout.Op];
    public byte HType => _packet[DhcpLayout.HType];
    public byte HLen => _packet[DhcpLayout.HLen];
    public byte Hops => _packet[DhcpLayout.Hops];
    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpLayout.Xid..]);
    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_packet[DhcpLayout.Flags..]);
    /// <summary>IPv4 addresses as big-endian integers (10.0.1.7 = 0x0A000107).</summary>
    public uint Ciaddr => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpLayout.Ciaddr..]);
    public uint Yiaddr => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpLayout.Yiaddr..]);
    public uint Siaddr => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpLayout.Siaddr..]);
    public uint Giaddr => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpLayout.Giaddr..]);
    public ReadOnlySpan<byte> Chaddr => _packet.Slice(DhcpLayout.Chaddr, DhcpLayout.ChaddrLength);
    public ReadOnlySpan<byte> Sname => _packet.Slice(DhcpLayout.Sname, DhcpLayout.SnameLength);
    public ReadOnlySpan<byte> File => _packet.Slice(DhcpLayout.File, DhcpLayout.FileLength);
    public bool SnameHoldsOptions => _snameHasOptions;
    public bool FileHoldsOptions => _fileHasOptions;

    /// <summary>The main options area (after the cookie).</summary>
    public ReadOnlySpan<byte> OptionsArea => _packet[DhcpLayout.Options..];

    /// <summary>Every option in packet order: main area, then <c>file</c>, then <c>sname</c> when overloaded.</summary>
    public DhcpPacketOptionEnumerator Options => new(OptionsArea, _fileHasOptions ? File : default, _snameHasOptions ? Sname : default, null);

    /// <summary>Every instance of one option code (e.g. several option 43s), in packet order.</summary>
    public DhcpPacketOptionEnumerator OptionsWithCode(byte code) => new(OptionsArea, _fileHasOptions ? File : default, _snameHasOptions ? Sname : default, code);

    /// <summary>First occurrence wins, as in Apple's <c>dhcpol_find</c>.</summary>
    public bool TryGetOption(byte code, out ReadOnlySpan<byte> value)
    {
        foreach (var option in OptionsWithCode(code)) { value = option.Value; return true; }
        value = default;
        return false;
    }

    /// <summary>Option 53, or <see cref="DhcpMessageType.None"/> when absent or not one byte long.</summary>
    public DhcpMessageType MessageType =>
        TryGetOption(DhcpOptionCode.MessageType, out var v) && v.Length == 1 ? (DhcpMessageType)v[0] : DhcpMessageType.None;
}

/// <summary>Chains up to three option areas; optionally yields only one code.</summary>
public ref struct DhcpPacketOptionEnumerator
{
    private readonly ReadOnlySpan<byte> _file;
    private readonly ReadOnlySpan<byte> _sname;
    private readonly byte? _code;
    private DhcpOptionEnumerator _inner;
    private int _area;

    internal DhcpPacketOptionEnumerator(ReadOnlySpan<byte> main, ReadOnlySpan<byte> file, ReadOnlySpan<byte> sname, byte? code)
    {
        _file = file;
        _sname = sname;
        _code = code;
        _inner = new DhcpOptionEnumerator(main);
        _area = 0;
    }

    public readonly DhcpOption Current => _inner.Current;

    public readonly DhcpPacketOptionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            while (_inner.MoveNext())
            {
                if (_code is null || _inner.Current.Code == _code.Value) return true;
            }
            _area++;
            if (_area == 1) _inner = new DhcpOptionEnumerator(_file);
            else if (_area == 2) _inner = new DhcpOptionEnumerator(_sname);
            else return false;
        }
    }
}

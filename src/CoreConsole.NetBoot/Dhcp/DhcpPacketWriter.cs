using System.Buffers.Binary;

namespace CoreConsole.NetBoot.Dhcp;

/// <summary>
/// Appends a DHCP packet into a caller-owned buffer. Never throws on a full buffer: writes that do not fit set
/// <see cref="Overflowed"/> and are dropped, so the caller checks once at the end and discards the packet.
/// </summary>
public ref struct DhcpPacketWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public DhcpPacketWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        Overflowed = false;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _buffer.Length - _position;
    public bool Overflowed { get; private set; }
    public readonly Span<byte> Buffer => _buffer;

    /// <summary>Writes a 240-byte header + cookie: zeros except the fields given, ready for options.</summary>
    public void WriteHeader(byte op, scoped ReadOnlySpan<byte> requestHeaderTemplate = default)
    {
        if (!Reserve(DhcpLayout.MinPacketLength, out var header)) return;
        header.Clear();
        if (!requestHeaderTemplate.IsEmpty) requestHeaderTemplate[..Math.Min(requestHeaderTemplate.Length, DhcpLayout.Cookie)].CopyTo(header);
        header[DhcpLayout.Op] = op;
        BinaryPrimitives.WriteUInt32BigEndian(header[DhcpLayout.Cookie..], DhcpLayout.MagicCookie);
    }

    public void WriteByte(byte value)
    {
        if (Reserve(1, out var s)) s[0] = value;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        if (Reserve(value.Length, out var s)) value.CopyTo(s);
    }

    public void WriteUInt16(ushort value)
    {
        if (Reserve(2, out var s)) BinaryPrimitives.WriteUInt16BigEndian(s, value);
    }

    public void WriteUInt32(uint value)
    {
        if (Reserve(4, out var s)) BinaryPrimitives.WriteUInt32BigEndian(s, value);
    }

    /// <summary>A complete option; values over 255 bytes are a caller bug and mark the writer overflowed.</summary>
    public void WriteOption(byte code, scoped ReadOnlySpan<byte> value)
    {
        if (value.Length > 255) { Overflowed = true; return; }
        if (!Reserve(2 + value.Length, out var s)) return;
        s[0] = code;
        s[1] = (byte)value.Length;
        value.CopyTo(s[2..]);
    }

    public void WriteOption(byte code, byte value) => WriteOption(code, [value]);

    public void WriteOptionUInt16(byte code, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(v, value);
        WriteOption(code, v);
    }

    public void WriteOptionUInt32(byte code, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        WriteOption(code, v);
    }

    /// <summary>Starts an option whose length is patched by <see cref="EndOption"/>; returns its offset.</summary>
    public int BeginOption(byte code)
    {
        int at = _position;
        if (!Reserve(2, out var s)) return -1;
        s[0] = code;
        s[1] = 0;
        return at;
    }

    public void EndOption(int start)
    {
        if (start < 0 || Overflowed) return;
        int length = _position - start - 2;
        if (length > 255) { Overflowed = true; return; }
        _buffer[start + 1] = (byte)length;
    }

    /// <summary>Zero-fills up to <paramref name="length"/> bytes total (Apple pads replies to 300).</summary>
    public void PadTo(int length)
    {
        if (_position >= length) return;
        if (Reserve(length - _position, out var s)) s.Clear();
    }

    /// <summary>Direct access to already-written bytes (e.g. header fields).</summary>
    public readonly Span<byte> Written => _buffer[.._position];

    private bool Reserve(int count, out Span<byte> span)
    {
        if (Overflowed || count > _buffer.Length - _position)
        {
            Overflowed = true;
            span = default;
            return false;
        }
        span = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }
}

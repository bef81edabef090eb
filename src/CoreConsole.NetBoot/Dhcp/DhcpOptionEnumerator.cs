namespace CoreConsole.NetBoot.Dhcp;

/// <summary>One tag/length/value entry; the value is a slice of the packet (no copy).</summary>
public readonly ref struct DhcpOption(byte code, ReadOnlySpan<byte> value)
{
    public byte Code { get; } = code;
    public ReadOnlySpan<byte> Value { get; } = value;
}

/// <summary>
/// Walks a tag/length/value area (the DHCP options field, <c>file</c>/<c>sname</c> when overloaded, or one
/// option-43 instance of BSDP sub-options). Pad is one byte, End stops. Callers must validate the area with
/// <see cref="IsWellFormed"/> first; on a malformed area the walk simply ends early.
/// </summary>
public ref struct DhcpOptionEnumerator
{
    private readonly ReadOnlySpan<byte> _area;
    private int _next;
    private DhcpOption _current;

    public DhcpOptionEnumerator(ReadOnlySpan<byte> area)
    {
        _area = area;
        _next = 0;
        _current = default;
    }

    public readonly DhcpOption Current => _current;

    public readonly DhcpOptionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next < _area.Length)
        {
            byte code = _area[_next];
            if (code == DhcpOptionCode.Pad) { _next++; continue; }
            if (code == DhcpOptionCode.End || _next + 1 >= _area.Length) break;
            int length = _area[_next + 1];
            int start = _next + 2;
            if (start + length > _area.Length) break;
            _current = new DhcpOption(code, _area.Slice(start, length));
            _next = start + length;
            return true;
        }
        _next = _area.Length;
        return false;
    }

    /// <summary>
    /// Apple's rule (dhcpol_parse_buffer): a tag with no length byte, or a length running past the area,
    /// fails the whole area. Anything after End is ignored.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> area)
    {
        int i = 0;
        while (i < area.Length)
        {
            byte code = area[i];
            if (code == DhcpOptionCode.Pad) { i++; continue; }
            if (code == DhcpOptionCode.End) return true;
            if (i + 1 >= area.Length) return false;
            int end = i + 2 + area[i + 1];
            if (end > area.Length) return false;
            i = end;
        }
        return true;
    }

    /// <summary>First occurrence of <paramref name="code"/> in a well-formed area.</summary>
    public static bool TryFind(ReadOnlySpan<byte> area, byte code, out ReadOnlySpan<byte> value)
    {
        foreach (var option in new DhcpOptionEnumerator(area))
        {
            if (option.Code == code) { value = option.Value; return true; }
        }
        value = default;
        return false;
    }
}

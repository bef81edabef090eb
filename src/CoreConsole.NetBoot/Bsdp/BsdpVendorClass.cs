namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// DHCP option 60 for BSDP (BSDP.md §4): clients send <c>AAPLBSDPC/&lt;arch&gt;/&lt;model&gt;</c>, servers exactly
/// <c>AAPLBSDPC</c>. Parsing never reads past the value (unlike Apple's loop on <c>AAPLBSDPC/i386</c>).
/// </summary>
public readonly ref struct BsdpVendorClass
{
    public static ReadOnlySpan<byte> Prefix => "AAPLBSDPC"u8;

    private BsdpVendorClass(bool isServer, ReadOnlySpan<byte> architecture, ReadOnlySpan<byte> systemIdentifier)
    {
        IsServer = isServer;
        Architecture = architecture;
        SystemIdentifier = systemIdentifier;
    }

    /// <summary>Bare <c>AAPLBSDPC</c>: sent by servers, carries no arch or model.</summary>
    public bool IsServer { get; }

    /// <summary>e.g. <c>i386</c> (every Intel Mac), <c>ppc</c>, <c>arm</c>.</summary>
    public ReadOnlySpan<byte> Architecture { get; }

    /// <summary>The model, e.g. <c>MacBookPro14,1</c>; may be empty.</summary>
    public ReadOnlySpan<byte> SystemIdentifier { get; }

    public static bool TryParse(ReadOnlySpan<byte> value, out BsdpVendorClass vendorClass)
    {
        vendorClass = default;
        if (!value.StartsWith(Prefix)) return false;
        var rest = value[Prefix.Length..];
        if (rest.IsEmpty)
        {
            vendorClass = new BsdpVendorClass(true, default, default);
            return true;
        }
        if (rest[0] != (byte)'/') return false;
        rest = rest[1..];
        int slash = rest.IndexOf((byte)'/');
        if (slash < 0) return false; // "AAPLBSDPC/i386": no model separator
        var arch = rest[..slash];
        var model = rest[(slash + 1)..];
        // Apple's R7 negative vectors: newline or NUL anywhere in arch or model.
        if (arch.IndexOfAny((byte)'\n', (byte)0) >= 0 || model.IndexOfAny((byte)'\n', (byte)0) >= 0) return false;
        vendorClass = new BsdpVendorClass(false, arch, model);
        return true;
    }
}

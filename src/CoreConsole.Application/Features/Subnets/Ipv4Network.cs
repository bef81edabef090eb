using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CoreConsole.Application.Features.Subnets;

/// <summary>An IPv4 network (address with host bits cleared + prefix), parsed strictly and printed canonically.</summary>
public readonly record struct Ipv4Network(uint Network, int PrefixLength)
{
    public string NetworkAddress => Format(Network);
    public string Cidr => $"{NetworkAddress}/{PrefixLength}";
    public override string ToString() => Cidr;

    public static uint Mask(int prefixLength) => prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    /// <summary>The network containing <paramref name="address"/> with <paramref name="prefixLength"/>.</summary>
    public static Ipv4Network Of(uint address, int prefixLength) => new(address & Mask(prefixLength), prefixLength);

    /// <summary>Strict dotted-quad parse (four decimal parts, each 0–255); no shorthand forms like <c>10.1</c>.</summary>
    public static bool TryParseAddress(string? text, out uint address)
    {
        address = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 15) return false;
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)) return false;
            var value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255) return false;
            address = (address << 8) | (uint)value;
        }
        return true;
    }

    /// <summary>Parses <c>A.B.C.D/NN</c>; the host bits must be zero.</summary>
    public static bool TryParse(string? cidr, [NotNullWhen(true)] out Ipv4Network? network)
    {
        network = null;
        if (cidr is null) return false;
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !TryParseAddress(cidr[..slash], out var address)) return false;
        if (!int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 0 or > 32) return false;
        if ((address & ~Mask(prefix)) != 0) return false;
        network = new Ipv4Network(address, prefix);
        return true;
    }

    public static string Format(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    /// <summary>
    /// Why an interface address could not belong to a managed machine, or null when it is plausible:
    /// not 0.0.0.0, not multicast (224/4) or reserved (240/4, broadcast), prefix 1–32.
    /// </summary>
    public static string? ProblemWithInterface(string? address, int prefixLength)
    {
        if (!TryParseAddress(address, out var value)) return "is not an IPv4 address (A.B.C.D)";
        if (prefixLength is < 1 or > 32) return "prefix length must be between 1 and 32";
        if (value == 0) return "0.0.0.0 is not an interface address";
        if ((value >> 28) == 0xE) return "is a multicast address";
        if ((value >> 28) == 0xF) return "is a reserved or broadcast address";
        return null;
    }

    public static bool IsIpv4(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetwork;
}

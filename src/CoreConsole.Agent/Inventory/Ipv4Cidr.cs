using System.Net;
using System.Net.Sockets;

namespace CoreConsole.Agent.Inventory;

/// <summary>An IPv4 address with prefix length, parsed from <c>A.B.C.D/NN</c>.</summary>
public sealed record Ipv4Cidr(IPAddress Address, int PrefixLength)
{
    public static Ipv4Cidr Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not an IPv4 address with prefix (A.B.C.D/NN).");

    public static bool TryParse(string? text, out Ipv4Cidr value)
    {
        value = null!;
        var parts = text?.Split('/');
        if (parts is not { Length: 2 }) return false;
        if (!IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork) return false;
        if (!int.TryParse(parts[1], out var prefix) || prefix is < 0 or > 32) return false;
        value = new Ipv4Cidr(address, prefix);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}

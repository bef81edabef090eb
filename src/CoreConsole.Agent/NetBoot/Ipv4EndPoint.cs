using System.Net;
using System.Net.Sockets;

namespace CoreConsole.Agent.NetBoot;

/// <summary>Parses the <c>ADDR:PORT</c> and bare IPv4 values of the NetBoot options (BSDP is IPv4 only).</summary>
public static class Ipv4EndPoint
{
    public static bool TryParse(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Count(c => c == ':') != 1) return false;
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork) return false;
        endPoint = parsed;
        return true;
    }

    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Count(c => c == '.') != 3) return false;
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork) return false;
        address = parsed;
        return true;
    }
}

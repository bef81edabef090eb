using System.Net;

namespace CoreConsole.FleetSimulator;

/// <summary>Hands out distinct host addresses (from .10 up) in round-robin over the given subnets.</summary>
internal sealed class SubnetPlan
{
    private readonly (uint Network, int Prefix, uint Size)[] _subnets;

    public SubnetPlan(IEnumerable<string> cidrs)
    {
        _subnets = cidrs.Select(Parse).ToArray();
        if (_subnets.Length == 0) throw new ArgumentException("at least one subnet is needed");
    }

    /// <summary>Address and prefix for simulated agent number <paramref name="index"/> (0-based).</summary>
    public (IPAddress Address, int PrefixLength) AddressFor(int index)
    {
        var (network, prefix, size) = _subnets[index % _subnets.Length];
        var host = 10u + (uint)(index / _subnets.Length);
        if (host >= size - 1) throw new InvalidOperationException($"subnet {ToAddress(network)}/{prefix} has no room for agent {index + 1}");
        return (ToAddress(network + host), prefix);
    }

    private static (uint, int, uint) Parse(string cidr)
    {
        var parts = cidr.Trim().Split('/');
        var prefix = int.Parse(parts[1]);
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (value & mask, prefix, prefix == 32 ? 1u : 1u << (32 - prefix));
    }

    private static IPAddress ToAddress(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}

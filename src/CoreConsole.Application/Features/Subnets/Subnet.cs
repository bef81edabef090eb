namespace CoreConsole.Application.Features.Subnets;

public enum SubnetSource
{
    /// <summary>Derived from an agent's reported address and prefix.</summary>
    Discovered,
    /// <summary>Entered by an administrator.</summary>
    Manual,
}

/// <summary>An IPv4 subnet, identified by its canonical CIDR (<c>10.0.1.0/24</c>).</summary>
public sealed class Subnet
{
    public Guid Id { get; set; }
    /// <summary>Canonical CIDR: network address (host bits zero) and prefix, e.g. <c>10.0.1.0/24</c>. Unique.</summary>
    public string Cidr { get; set; } = "";
    /// <summary>Network address as a dotted quad.</summary>
    public string NetworkAddress { get; set; } = "";
    /// <summary>Network address as an unsigned 32-bit number, so subnets sort numerically.</summary>
    public long NetworkNumber { get; set; }
    public int PrefixLength { get; set; }
    public string? Name { get; set; }
    public SubnetSource Source { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

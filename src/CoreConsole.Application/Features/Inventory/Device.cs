namespace CoreConsole.Application.Features.Inventory;

/// <summary>
/// A managed machine as its agent last reported it. Identity is the serial number, else the primary MAC
/// (see <c>RecordCheckIn</c>). Lists are stored compactly as comma-separated text: they are shown, searched and
/// re-derived, never joined on (the agent × subnet links in <see cref="AgentAddress"/> are what queries use).
/// </summary>
public sealed class Device
{
    public Guid Id { get; set; }
    public string? SerialNumber { get; set; }
    /// <summary>Upper-case colon form <c>AA:BB:CC:DD:EE:FF</c>.</summary>
    public string? PrimaryMac { get; set; }
    public string HostName { get; set; } = "";
    /// <summary>Apple model identifier (<c>MacBookPro14,1</c>) or platform product name.</summary>
    public string Model { get; set; } = "";
    public string OsName { get; set; } = "";
    public string OsVersion { get; set; } = "";
    /// <summary>All MAC addresses, primary first, comma-separated.</summary>
    public string MacAddresses { get; set; } = "";
    /// <summary>IPv4 interfaces as <c>address/prefix</c>, comma-separated, e.g. <c>10.0.1.7/24,10.0.2.9/24</c>.</summary>
    public string Ipv4Interfaces { get; set; } = "";
    /// <summary>Uptime as of <see cref="InventoryAt"/>; current uptime ≈ this + (LastSeenAt − InventoryAt).</summary>
    public long UptimeSeconds { get; set; }
    public long FreeDiskBytes { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>When the inventory columns were last written (heartbeats only move <see cref="LastSeenAt"/>).</summary>
    public DateTimeOffset InventoryAt { get; set; }
    /// <summary>Hash of the reported inventory; a check-in whose hash matches rewrites nothing but the heartbeat.</summary>
    public string? InventoryHash { get; set; }

    /// <summary>Uptime now, extrapolated from the last inventory write.</summary>
    public long CurrentUptimeSeconds => UptimeSeconds + (long)Math.Max(0, (LastSeenAt - InventoryAt).TotalSeconds);

    public IEnumerable<string> MacAddressList => Split(MacAddresses);
    public IEnumerable<string> Ipv4InterfaceList => Split(Ipv4Interfaces);

    private static string[] Split(string value) =>
        value.Length == 0 ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

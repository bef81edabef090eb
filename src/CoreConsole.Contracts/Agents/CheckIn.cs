using System.Text.Json.Serialization;

namespace CoreConsole.Contracts.Agents;

/// <summary>
/// POST /api/agent/checkin: heartbeat plus inventory. Sent every <c>nextCheckInSeconds</c> (and immediately on a CheckInNow push).
/// The core records inventory, runs the election for the agent's subnets, and answers what the agent should be.
/// </summary>
public sealed record CheckInRequest
{
    public int ProtocolVersion { get; init; } = AgentProtocol.Version;
    public required string HostName { get; init; }
    public required string OsName { get; init; }
    public required string OsVersion { get; init; }
    /// <summary>Apple model identifier (<c>MacBookPro14,1</c>) or platform product name.</summary>
    public required string Model { get; init; }
    public string? SerialNumber { get; init; }
    /// <summary>Upper-case colon form, primary first.</summary>
    public IReadOnlyList<string> MacAddresses { get; init; } = [];
    /// <summary>Advertised IPv4 addresses; the core derives the agent's subnets from these.</summary>
    public IReadOnlyList<Ipv4Interface> Ipv4 { get; init; } = [];
    public long UptimeSeconds { get; init; }
    public long FreeDiskBytes { get; init; }
    public required string AgentVersion { get; init; }
    public Guid? InstalledSettingRevisionId { get; init; }
    public int? InstalledSettingRevisionNumber { get; init; }
    public AgentSettingValues? InstalledSettings { get; init; }
    /// <summary><c>http://ip:port</c> of the agent's push listener; null when it has none.</summary>
    public string? PushUrl { get; init; }
    /// <summary>What the agent is doing as representative; null when it holds no role.</summary>
    public RepresentativeStatus? Representative { get; init; }
    public CapabilityFacts? Capabilities { get; init; }
    /// <summary>Agent's wall clock when sending (diagnostics only; leases are timed by the agent's monotonic clock).</summary>
    public DateTimeOffset SentAt { get; init; }
}

/// <summary>An IPv4 address with its prefix length, e.g. 10.0.1.7/24.</summary>
public sealed record Ipv4Interface(string Address, int PrefixLength);

/// <summary>Facts the election scores candidates by.</summary>
public sealed record CapabilityFacts
{
    public long FreeDiskBytes { get; init; }
    public int Cores { get; init; }
    public long MemoryBytes { get; init; }
    public bool IsServerOs { get; init; }
    /// <summary>At least one operational Ethernet (not Wi-Fi) interface.</summary>
    public bool WiredLink { get; init; }
}

/// <summary>Representative state as reported by the agent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepresentativeState>))]
public enum RepresentativeState
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("syncing")] Syncing,
    [JsonStringEnumMemberName("serving")] Serving,
    [JsonStringEnumMemberName("error")] Error,
}

/// <summary>The agent's view of the role it holds (or last held) for a subnet, fenced by <see cref="Term"/>.</summary>
public sealed record RepresentativeStatus
{
    /// <summary>CIDR, e.g. <c>10.0.1.0/24</c>.</summary>
    public required string Subnet { get; init; }
    public required long Term { get; init; }
    public required RepresentativeState State { get; init; }
    /// <summary>0.0–1.0 while syncing boot files.</summary>
    public double? SyncProgress { get; init; }
    public string? CatalogueVersion { get; init; }
    public string? Error { get; init; }
    /// <summary>BSDP replies sent since the responder started (it restarts with the agent or a new catalogue); null when not serving.</summary>
    public long? BsdpReplies { get; init; }
}

/// <summary>
/// Reply to a check-in. <see cref="DesiredSettingRevision"/> is what the agent should have installed (apply if different);
/// <see cref="Role"/> is present only while this agent holds a valid lease.
/// </summary>
public sealed record CheckInResponse
{
    public SettingRevision? DesiredSettingRevision { get; init; }
    public RepresentativeRole? Role { get; init; }
    /// <summary>Catalogue for the role; null when there is no role.</summary>
    public CatalogueReference? Catalogue { get; init; }
    /// <summary>Policy items waiting; the agent fetches policy at once when this is &gt; 0 and grew.</summary>
    public int PendingPolicyCount { get; init; }
    public required int NextCheckInSeconds { get; init; }
    public required DateTimeOffset CoreTime { get; init; }
}

/// <summary>
/// An elected role. The agent may serve only for <see cref="LeaseSeconds"/> counted on its monotonic clock from when it SENT the
/// check-in that returned this; <see cref="LeaseExpiresAt"/> is the core's wall-clock view, for display.
/// </summary>
public sealed record RepresentativeRole
{
    public required string Subnet { get; init; }
    /// <summary>Service name; "pxe" for NetBoot.</summary>
    public string Service { get; init; } = "pxe";
    /// <summary>Monotonically increasing fencing token per subnet service.</summary>
    public required long Term { get; init; }
    public required DateTimeOffset LeaseExpiresAt { get; init; }
    public required int LeaseSeconds { get; init; }
}

/// <summary>Where to GET the representative catalogue (<see cref="CatalogueDocument"/>), and its version for change detection.</summary>
public sealed record CatalogueReference
{
    public required string Version { get; init; }
    /// <summary>Absolute URL, or a path relative to the core URL; fetched with the agent's Authorization header.</summary>
    public required string Url { get; init; }
}

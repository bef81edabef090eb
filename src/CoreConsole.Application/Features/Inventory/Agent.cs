using CoreConsole.Contracts.Agents;

namespace CoreConsole.Application.Features.Inventory;

/// <summary>The console's preference for a candidate in representative elections.</summary>
public enum AgentPreference
{
    None,
    /// <summary>Wins ties and is preferred over unmarked candidates.</summary>
    Preferred,
    /// <summary>Always chosen for its subnets while it is eligible and online.</summary>
    Pinned,
}

/// <summary>
/// The enrolled agent of a <see cref="Device"/> (one per device; <see cref="Id"/> is the agent id on the wire).
/// The core never stores the secret: only <see cref="SecretHash"/> (<see cref="AgentAuth.HashSecret"/>) to verify calls and
/// <see cref="PushKey"/> (<see cref="AgentAuth.DerivePushKey"/>) to sign pushes. Installed settings, capability facts and the
/// representative status are plain columns because the election filters and scores on them.
/// </summary>
public sealed class Agent
{
    public Guid Id { get; set; }
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }

    public string SecretHash { get; set; } = "";
    public byte[] PushKey { get; set; } = [];
    /// <summary><c>http://ip:port</c> of the agent's push listener, if it has one.</summary>
    public string? PushUrl { get; set; }
    public string AgentVersion { get; set; } = "";
    public DateTimeOffset EnrolledAt { get; set; }
    public DateTimeOffset? LastCheckInAt { get; set; }
    /// <summary>Set when an administrator revokes the agent: every call is refused until it re-enrols.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    // What the agent reports as installed.
    public Guid? InstalledSettingRevisionId { get; set; }
    public int? InstalledSettingRevisionNumber { get; set; }
    public bool EnableSubnetServices { get; set; }
    public bool EnablePxe { get; set; }
    public int CheckInIntervalSeconds { get; set; } = 60;
    public int PolicyIntervalSeconds { get; set; } = 900;

    // Capability facts (election scoring).
    public long FreeDiskBytes { get; set; }
    public int Cores { get; set; }
    public long MemoryBytes { get; set; }
    public bool IsServerOs { get; set; }
    public bool WiredLink { get; set; }

    // Representative status as last reported (null subnet = no role).
    public string? RepresentativeSubnet { get; set; }
    public long? RepresentativeTerm { get; set; }
    public RepresentativeState? RepresentativeState { get; set; }
    public double? RepresentativeProgress { get; set; }
    public string? RepresentativeCatalogueVersion { get; set; }
    public string? RepresentativeError { get; set; }

    /// <summary>Hash of the agent-side state above; an unchanged check-in skips rewriting the row.</summary>
    public string? StateHash { get; set; }

    /// <summary>Console preference for representative elections.</summary>
    public AgentPreference Preference { get; set; }
    /// <summary>The agent-settings profile this agent should run (null: the default profile).</summary>
    public Guid? AssignedSettingId { get; set; }

    public List<AgentAddress> Addresses { get; set; } = [];

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Online while the last check-in is within three check-in intervals.</summary>
    public bool IsOnline(DateTimeOffset now) =>
        LastCheckInAt is { } last && now - last <= TimeSpan.FromSeconds(3 * Math.Max(1, CheckInIntervalSeconds));
}

/// <summary>An agent's IPv4 address on a <see cref="Subnets.Subnet"/> (agent × subnet): what elections group candidates by.</summary>
public sealed class AgentAddress
{
    public Guid AgentId { get; set; }
    public Guid SubnetId { get; set; }
    public Subnets.Subnet? Subnet { get; set; }
    /// <summary>Dotted quad, e.g. <c>10.0.1.7</c>.</summary>
    public string Address { get; set; } = "";
}

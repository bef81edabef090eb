using System.Collections.Immutable;
using System.Text.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Subnets.Election;

namespace CoreConsole.Application.Features.Subnets;

/// <summary>What the console shows for a subnet service.</summary>
public enum SubnetServiceState
{
    Disabled,
    /// <summary>Enabled, no representative serving yet (electing, waiting for a candidate, handing over).</summary>
    Electing,
    Syncing,
    Serving,
    Error,
}

/// <summary>
/// One service (PXE = BSDP + TFTP) on one subnet: the admin's desired state and the lease row of its election.
/// <see cref="Version"/> is the optimistic concurrency token ON THE LEASE: every console process reads the row, decides, and
/// writes only if nobody wrote in between, so two processes sharing one database never both grant a lease.
/// </summary>
public sealed class SubnetService : IVersioned
{
    public const string Pxe = "pxe";

    public Guid Id { get; set; }
    public Guid SubnetId { get; set; }
    public Subnet? Subnet { get; set; }
    public string Service { get; set; } = Pxe;
    public bool DesiredEnabled { get; set; }

    public Guid? RepresentativeAgentId { get; set; }
    /// <summary>Fencing token: grows by one per election, never reused.</summary>
    public long Term { get; set; }
    /// <summary>Core clock. Valid while now &lt; this.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public bool LeaseClaimed { get; set; }
    public string? HandoverReason { get; set; }
    /// <summary>JSON { agentId: lapse time ticks }: agents whose lease lapsed, not re-elected until they check in again.</summary>
    public string UnresponsiveAgents { get; set; } = "{}";

    public SubnetServiceState State { get; set; }
    public string? StateReason { get; set; }
    public double? SyncProgress { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The term for which the "representative outside the published whitelist" audit entry was written.</summary>
    public long? WhitelistWarnedTerm { get; set; }

    public int Version { get; set; }

    public SubnetLease ToLease() => new()
    {
        RepresentativeId = RepresentativeAgentId,
        Term = Term,
        ExpiresAt = LeaseExpiresAt,
        Claimed = LeaseClaimed,
        HandoverReason = HandoverReason,
        Unresponsive = ReadUnresponsive(UnresponsiveAgents),
    };

    public void Apply(SubnetLease lease)
    {
        RepresentativeAgentId = lease.RepresentativeId;
        Term = lease.Term;
        LeaseExpiresAt = lease.ExpiresAt;
        LeaseClaimed = lease.Claimed;
        HandoverReason = lease.HandoverReason;
        UnresponsiveAgents = JsonSerializer.Serialize(lease.Unresponsive.ToDictionary(p => p.Key.ToString("D"), p => p.Value.UtcTicks));
    }

    private static ImmutableDictionary<Guid, DateTimeOffset> ReadUnresponsive(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return ImmutableDictionary<Guid, DateTimeOffset>.Empty;
        var raw = JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
        return raw.ToImmutableDictionary(p => Guid.Parse(p.Key), p => new DateTimeOffset(p.Value, TimeSpan.Zero));
    }
}

/// <summary>One change of a subnet service's representative, with the scores the decision was made on.</summary>
public sealed class ElectionEvent
{
    public long Id { get; set; }
    public Guid SubnetServiceId { get; set; }
    public DateTimeOffset At { get; set; }
    public long Term { get; set; }
    public ElectionEventKind Kind { get; set; }
    public Guid? FromAgentId { get; set; }
    public string? FromName { get; set; }
    public Guid? ToAgentId { get; set; }
    public string? ToName { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>JSON array of { agentId, name, address, preference, points, parts, status } at decision time.</summary>
    public string ScoresJson { get; set; } = "[]";
}

/// <summary>The SIP NetBoot whitelist an admin published for a subnet: the IPv4 addresses Macs there were told to trust.</summary>
public sealed class PublishedWhitelist : IVersioned
{
    public Guid SubnetId { get; set; }
    /// <summary>Comma-separated dotted quads, sorted numerically.</summary>
    public string Addresses { get; set; } = "";
    public DateTimeOffset PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
    public int Version { get; set; }

    public IReadOnlyList<string> AddressList =>
        Addresses.Length == 0 ? [] : Addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

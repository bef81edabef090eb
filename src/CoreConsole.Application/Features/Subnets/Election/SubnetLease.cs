using System.Collections.Immutable;

namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>
/// The lease row of one subnet service as the pure election logic sees it. <see cref="Term"/> is the fencing token: it only
/// grows, by one per election. A lease is VALID while <c>now &lt; ExpiresAt</c> (core clock).
/// </summary>
public sealed record SubnetLease
{
    public static readonly SubnetLease Empty = new();

    public Guid? RepresentativeId { get; init; }
    public long Term { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The representative has been sent its role for <see cref="Term"/> at least once (so it may be serving).</summary>
    public bool Claimed { get; init; }
    /// <summary>Set while the representative must hand over (disabled, no longer a candidate, outranked by a pin).</summary>
    public string? HandoverReason { get; init; }
    /// <summary>Agents whose lease lapsed unrenewed, with the lapse time: not elected again until they check in after it.</summary>
    public ImmutableDictionary<Guid, DateTimeOffset> Unresponsive { get; init; } = ImmutableDictionary<Guid, DateTimeOffset>.Empty;

    public bool IsValidAt(DateTimeOffset now) => RepresentativeId is not null && ExpiresAt is { } e && now < e;
}

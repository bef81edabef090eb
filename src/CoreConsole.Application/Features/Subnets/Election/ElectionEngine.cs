namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>What made the election run.</summary>
public abstract record ElectionTrigger
{
    /// <summary>
    /// An agent on the subnet checked in. <paramref name="HoldsLease"/>: its report says it holds this subnet's role at the
    /// lease's current term (so it may be serving).
    /// </summary>
    public sealed record CheckIn(Guid AgentId, bool HoldsLease) : ElectionTrigger;

    /// <summary>The background sweep, or a console change (enable, disable, pin) that wants a re-evaluation now.</summary>
    public sealed record Sweep : ElectionTrigger
    {
        public static readonly Sweep Instance = new();
    }
}

public sealed record ElectionInput(
    bool Enabled, SubnetLease Lease, IReadOnlyList<ElectionCandidate> Candidates, DateTimeOffset Now, ElectionTrigger Trigger);

public enum ElectionEventKind
{
    /// <summary>A new term: someone was granted the lease.</summary>
    Elected,
    /// <summary>The representative was asked to stop (disabled, outranked by a pin, no longer a candidate).</summary>
    HandoverRequested,
    /// <summary>The representative confirmed it stopped, or never took the role up, so the lease ended early.</summary>
    Released,
    /// <summary>The lease ran out without renewal.</summary>
    Lapsed,
}

/// <summary>One change of the lease, recorded as an ElectionEvent.</summary>
public sealed record ElectionChange(ElectionEventKind Kind, long Term, Guid? From, Guid? To, string Reason);

/// <summary>The lease and timing an agent is told in its check-in reply.</summary>
public sealed record GrantedLease(long Term, DateTimeOffset ExpiresAt, TimeSpan Duration);

public sealed record ElectionOutcome
{
    public required SubnetLease Lease { get; init; }
    /// <summary>The lease row must be written (with optimistic concurrency) before anything is told to an agent.</summary>
    public bool Changed { get; init; }
    /// <summary>The role for the agent that checked in; null = it holds no role on this subnet.</summary>
    public GrantedLease? Role { get; init; }
    /// <summary>Check-in interval to tell the agent that checked in, when the election wants it sooner than usual.</summary>
    public TimeSpan? NextCheckIn { get; init; }
    public IReadOnlyList<ElectionChange> Events { get; init; } = [];
    /// <summary>Agents to push CheckInNow to (after the write succeeded): the newly elected, or a representative that must stop.</summary>
    public IReadOnlyList<Guid> Push { get; init; } = [];
    public required IReadOnlyList<RankedCandidate> Ranking { get; init; }
}

/// <summary>
/// The election as a pure function of (desired state, lease row, candidates, core clock, trigger). No I/O: the caller reads
/// the row, calls <see cref="Decide"/>, writes the row with optimistic concurrency and only then replies or pushes.
/// <para>Safety: a new term is granted only when no other agent can still be serving — the previous lease lapsed (plus
/// <see cref="ElectionOptions.TakeoverGrace"/>), or its holder confirmed in a check-in that it no longer holds it, or it was
/// never sent its role. The agent counts its lease from when it SENT the check-in, which is never after the core granted it,
/// so it always stops before the core thinks the lease lapsed.</para>
/// <para>Stability: a valid representative keeps its lease while it renews and stays a candidate. Only a PIN takes over at
/// once (through a handover, never an overlap); a better-scored or merely preferred agent waits for the next election, so
/// capability changes never cause flapping.</para>
/// </summary>
public sealed class ElectionEngine(ElectionOptions options)
{
    public ElectionOptions Options => options;

    /// <summary>Every candidate with its status, eligible ones first, each group best first.</summary>
    public IReadOnlyList<RankedCandidate> Rank(IEnumerable<ElectionCandidate> candidates, SubnetLease lease, DateTimeOffset now) =>
        candidates
            .Select(c => new RankedCandidate(c, StatusOf(c, lease, now), CandidateScoring.Score(c.AgentId, c.Preference, c.Facts)))
            .OrderBy(r => r.IsEligible ? 0 : 1)
            .ThenBy(r => r.Score)
            .ToList();

    private CandidateStatus StatusOf(ElectionCandidate c, SubnetLease lease, DateTimeOffset now)
    {
        if (!c.SettingEnabled) return CandidateStatus.SettingOff;
        if (!options.IsOnline(c.LastSeenAt, c.CheckInInterval, now)) return CandidateStatus.Offline;
        if (lease.Unresponsive.TryGetValue(c.AgentId, out var lapsedAt) && c.LastSeenAt <= lapsedAt) return CandidateStatus.Unresponsive;
        if (c.RepresentsOtherSubnet) return CandidateStatus.RepresentsOtherSubnet;
        return CandidateStatus.Eligible;
    }

    public ElectionOutcome Decide(ElectionInput input)
    {
        var now = input.Now;
        var lease = input.Lease;
        var changed = false;
        var events = new List<ElectionChange>();
        var checkIn = input.Trigger as ElectionTrigger.CheckIn;

        // An agent that checks in is responsive again.
        if (checkIn is not null && lease.Unresponsive.ContainsKey(checkIn.AgentId))
        {
            lease = lease with { Unresponsive = lease.Unresponsive.Remove(checkIn.AgentId) };
            changed = true;
        }

        var ranking = Rank(input.Candidates, lease, now);
        var best = ranking.FirstOrDefault(r => r.IsEligible);
        string? electionReason = null;

        if (lease.RepresentativeId is { } rep)
        {
            var repRank = ranking.FirstOrDefault(r => r.Candidate.AgentId == rep);
            var repName = repRank?.Candidate.Name is { Length: > 0 } n ? n : rep.ToString();
            var handover = HandoverReason(input.Enabled, repRank, best, repName);
            var isRepCheckIn = checkIn is not null && checkIn.AgentId == rep;
            var expired = lease.ExpiresAt is not { } expiresAt || now >= expiresAt;

            if (handover is null)
            {
                if (lease.HandoverReason is not null)
                {
                    lease = lease with { HandoverReason = null };
                    changed = true;
                }
                if (isRepCheckIn)
                {
                    // Renewal, also just after expiry: it is the same agent, so nobody else can be serving.
                    var renewed = lease with { ExpiresAt = now + options.LeaseDuration, Claimed = true };
                    return Outcome(renewed, true, events, ranking, Grant(renewed), options.RepresentativeCheckIn);
                }
                if (!expired) return Outcome(lease, changed, events, ranking);
            }
            else if ((isRepCheckIn && !checkIn!.HoldsLease) || !lease.Claimed)
            {
                // It confirmed it no longer holds the role (or never received it): nobody serves, end the lease now.
                events.Add(new(ElectionEventKind.Released, lease.Term, rep, null, $"{repName} stopped: {handover}"));
                lease = Vacate(lease);
                changed = true;
                electionReason = $"{repName} handed over: {handover}";
            }
            else if (!expired)
            {
                // Ask it to stop (no role in its next reply) and come back quickly to confirm; never overlap.
                var push = new List<Guid>();
                if (lease.HandoverReason != handover)
                {
                    events.Add(new(ElectionEventKind.HandoverRequested, lease.Term, rep, null, handover));
                    lease = lease with { HandoverReason = handover };
                    changed = true;
                    if (!isRepCheckIn) push.Add(rep);
                }
                return Outcome(lease, changed, events, ranking, null, isRepCheckIn ? options.HandoverCheckIn : null, push);
            }

            if (lease.RepresentativeId is not null)
            {
                // Expired without renewal. A lease that was taken up may still be counted down by its holder: wait the grace.
                if (lease.Claimed && now < lease.ExpiresAt!.Value + options.TakeoverGrace)
                    return Outcome(lease, changed, events, ranking);
                var reason = lease.Claimed
                    ? $"lease of {repName} lapsed: no renewal since {lease.ExpiresAt!.Value - options.LeaseDuration:HH:mm:ss}"
                    : $"{repName} did not take up the lease within {options.LeaseDuration.TotalSeconds:0} s";
                events.Add(new(ElectionEventKind.Lapsed, lease.Term, rep, null, reason));
                var unresponsive = isRepCheckIn ? lease.Unresponsive : lease.Unresponsive.SetItem(rep, lease.ExpiresAt ?? now);
                lease = Vacate(lease) with { Unresponsive = unresponsive };
                changed = true;
                electionReason = reason;
                // Its lapse changes who is eligible.
                ranking = Rank(input.Candidates, lease, now);
                best = ranking.FirstOrDefault(r => r.IsEligible);
            }
        }

        if (!input.Enabled || best is null) return Outcome(lease, changed, events, ranking);

        var winner = best.Candidate.AgentId;
        var claimed = checkIn is not null && checkIn.AgentId == winner;
        var previous = input.Lease.RepresentativeId;
        lease = lease with
        {
            RepresentativeId = winner,
            Term = lease.Term + 1,
            ExpiresAt = now + options.LeaseDuration,
            Claimed = claimed,
            HandoverReason = null,
            Unresponsive = lease.Unresponsive.Remove(winner),
        };
        events.Add(new(ElectionEventKind.Elected, lease.Term, previous, winner,
            $"{electionReason ?? "no representative"}; best candidate {DisplayName(best)} ({best.Score})"));
        return claimed
            ? Outcome(lease, true, events, ranking, Grant(lease), options.RepresentativeCheckIn)
            : Outcome(lease, true, events, ranking, null, null, [winner]);
    }

    /// <summary>Why the current representative must stop, or null when it may keep its lease.</summary>
    private static string? HandoverReason(bool enabled, RankedCandidate? rep, RankedCandidate? best, string repName)
    {
        if (!enabled) return "PXE disabled on this subnet";
        if (rep is null) return $"{repName} is no longer on this subnet";
        switch (rep.Status)
        {
            case CandidateStatus.SettingOff: return $"{repName}'s installed setting no longer enables SESS and PXE";
            case CandidateStatus.Offline: return $"{repName} is offline";
            case CandidateStatus.RepresentsOtherSubnet: return $"{repName} represents another subnet";
        }
        if (best is not null && best.Score.Preference == CandidatePreference.Pinned && rep.Score.Preference != CandidatePreference.Pinned)
            return $"pinned {DisplayName(best)} outranks {repName}";
        return null;
    }

    /// <summary>Plain words for an enabled subnet with nobody eligible, or null when someone is.</summary>
    public static string? WhyNoCandidate(IReadOnlyList<RankedCandidate> ranking)
    {
        if (ranking.Any(r => r.IsEligible)) return null;
        if (ranking.Count == 0) return "No agent has checked in from this subnet.";
        if (ranking.All(r => r.Status == CandidateStatus.SettingOff))
            return $"{Agents(ranking.Count)} on this subnet, but none has self-electing subnet services and the PXE service enabled in its installed agent setting.";
        var parts = new List<string>();
        void Count(CandidateStatus status, string words)
        {
            var n = ranking.Count(r => r.Status == status);
            if (n > 0) parts.Add($"{n} {words}");
        }
        Count(CandidateStatus.Offline, "offline");
        Count(CandidateStatus.SettingOff, "with SESS/PXE off in the installed setting");
        Count(CandidateStatus.Unresponsive, "unresponsive (lease lapsed; eligible again at its next check-in)");
        Count(CandidateStatus.RepresentsOtherSubnet, "already representing another subnet");
        var withSetting = ranking.Where(r => r.Status != CandidateStatus.SettingOff).ToList();
        var lead = withSetting.Count > 0 && withSetting.All(r => r.Status == CandidateStatus.Offline)
            ? "Every agent with the setting is offline" : "No eligible agent";
        return $"{lead}: {string.Join(", ", parts)}.";
    }

    private static string Agents(int n) => n == 1 ? "1 agent" : $"{n} agents";

    private static string DisplayName(RankedCandidate r) => r.Candidate.Name is { Length: > 0 } n ? n : r.Candidate.AgentId.ToString();

    private static SubnetLease Vacate(SubnetLease lease) =>
        lease with { RepresentativeId = null, ExpiresAt = null, Claimed = false, HandoverReason = null };

    private GrantedLease Grant(SubnetLease lease) => new(lease.Term, lease.ExpiresAt!.Value, options.LeaseDuration);

    private static ElectionOutcome Outcome(
        SubnetLease lease, bool changed, List<ElectionChange> events, IReadOnlyList<RankedCandidate> ranking,
        GrantedLease? role = null, TimeSpan? nextCheckIn = null, IReadOnlyList<Guid>? push = null) =>
        new()
        {
            Lease = lease, Changed = changed, Events = events, Ranking = ranking, Role = role, NextCheckIn = nextCheckIn,
            Push = push ?? [],
        };
}

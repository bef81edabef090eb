using System.Collections.Concurrent;
using System.Text.Json;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>What the election adds to an agent's check-in reply.</summary>
public sealed record CheckInElection(RepresentativeRole? Role, TimeSpan? NextCheckIn)
{
    public static readonly CheckInElection None = new(null, null);
}

/// <summary>
/// Runs <see cref="ElectionEngine"/> against the database: read the lease row, decide on the core's clock, write with
/// optimistic concurrency (the loser of a race between console processes re-reads and decides again), and only after the
/// write succeeded tell anyone — the checking-in agent through its reply, others by a signed CheckInNow push.
/// </summary>
public sealed partial class SubnetElection(
    IDbContextFactory<AppDbContext> dbFactory,
    ElectionEngine engine,
    TimeProvider clock,
    IAgentCheckInNudger nudger,
    SubnetServiceSnapshot snapshot,
    ILogger<SubnetElection> logger) : IElectionService, IElectionCheckInTiming
{
    private const int MaxAttempts = 8;
    private readonly ConcurrentDictionary<Guid, TimeSpan> _nextCheckIn = new();

    /// <summary>The agent API seam: runs the election for the agent's subnets and returns its role for the reply.</summary>
    public async ValueTask<RepresentativeRole?> OnCheckInAsync(AgentCheckInContext agent, CheckInRequest report, CancellationToken ct)
    {
        // Most check-ins come from agents that hold no role and stand on no subnet where anything is to be decided.
        if (report.Representative is null && !MayNeedDecision(agent, await snapshot.GetAsync(ct), clock.GetUtcNow()))
        {
            _nextCheckIn.TryRemove(agent.AgentId, out _);
            return null;
        }
        var result = await OnCheckInAsync(agent.AgentId, report.Representative, ct);
        if (result.NextCheckIn is { } next) _nextCheckIn[agent.AgentId] = next;
        else _nextCheckIn.TryRemove(agent.AgentId, out _);
        return result.Role;
    }

    /// <summary>
    /// The check-in filter of <see cref="OnCheckInAsync(Guid, RepresentativeStatus?, CancellationToken)"/> on the snapshot:
    /// false only when the agent represents nothing and every active service on its subnets has a healthy representative
    /// that it cannot displace (not pinned, not marked unresponsive).
    /// </summary>
    internal static bool MayNeedDecision(AgentCheckInContext agent, SubnetServiceSnapshot.View view, DateTimeOffset now)
    {
        if (view.Representatives.Contains(agent.AgentId)) return true;
        var key = agent.AgentId.ToString("D");
        foreach (var subnet in agent.Subnets)
            foreach (var s in view.BySubnet[subnet.SubnetId])
                if (s.RepresentativeAgentId is null || !s.DesiredEnabled || s.HandoverReason is not null || s.LeaseExpiresAt is not { } e || e <= now
                    || agent.Preference == Inventory.AgentPreference.Pinned || s.UnresponsiveAgents.Contains(key, StringComparison.OrdinalIgnoreCase))
                    return true;
        return false;
    }

    /// <summary>How soon the agent that just checked in must come back (representative renewals, handover confirmation).</summary>
    public TimeSpan? TakeNextCheckIn(Guid agentId) => _nextCheckIn.TryRemove(agentId, out var next) ? next : null;

    /// <summary>
    /// Call after the agent's check-in (heartbeat, addresses, installed settings, reported status) has been recorded.
    /// Returns the role to put in the reply (at most one: an agent represents one subnet at a time).
    /// </summary>
    public async Task<CheckInElection> OnCheckInAsync(Guid agentId, RepresentativeStatus? report, CancellationToken ct)
    {
        List<(Guid Id, bool IsRep)> services;
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var onSubnets = db.AgentAddresses.Where(a => a.AgentId == agentId).Select(a => a.SubnetId);
            var pinned = await db.Agents.Where(a => a.Id == agentId).Select(a => a.Preference == AgentPreference.Pinned).FirstOrDefaultAsync(ct);
            var key = agentId.ToString("D");
            services = (await db.SubnetServices.AsNoTracking()
                    .Where(s => s.Service == SubnetService.Pxe && (s.RepresentativeAgentId == agentId
                        || (onSubnets.Contains(s.SubnetId) && (s.DesiredEnabled || s.RepresentativeAgentId != null))))
                    .Select(s => new { s.Id, s.RepresentativeAgentId, s.DesiredEnabled, s.LeaseExpiresAt, s.HandoverReason, s.UnresponsiveAgents })
                    .ToListAsync(ct))
                // Fast path: a standby's check-in on a subnet with a healthy representative changes nothing, unless it is
                // pinned (it may take over) or it was marked unresponsive (it is eligible again).
                .Where(s => s.RepresentativeAgentId == agentId || s.RepresentativeAgentId is null || !s.DesiredEnabled
                    || s.HandoverReason is not null || s.LeaseExpiresAt is not { } e || e <= now || pinned
                    || s.UnresponsiveAgents.Contains(key, StringComparison.OrdinalIgnoreCase))
                .Select(s => (s.Id, s.RepresentativeAgentId == agentId))
                .OrderByDescending(s => s.Item2) // the subnet it already represents first, so it keeps that role
                .ToList();
        }

        RepresentativeRole? role = null;
        TimeSpan? next = null;
        foreach (var (id, _) in services)
        {
            var result = await DecideAsync(id, svc => new ElectionTrigger.CheckIn(agentId, Holds(report, svc)), agentId, report, ct);
            if (result.Role is not null && role is null) role = result.Role;
            if (result.NextCheckIn is { } n && (next is null || n < next)) next = n;
        }
        return new CheckInElection(role, next);
    }

    /// <summary>One sweep: every service that may need the core to act without anyone checking in.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.SubnetServices.AsNoTracking()
                .Where(s => s.RepresentativeAgentId == null
                    ? s.DesiredEnabled
                    : (!s.DesiredEnabled || s.HandoverReason != null || s.LeaseExpiresAt <= now))
                .Select(s => s.Id)
                .ToListAsync(ct);
        }
        foreach (var id in due) await DecideAsync(id, _ => ElectionTrigger.Sweep.Instance, null, null, ct);
        return due.Count;
    }

    /// <summary>Re-evaluates one service now (after a console change: enable, disable, pin, prefer).</summary>
    public Task ReevaluateAsync(Guid subnetServiceId, CancellationToken ct) =>
        DecideAsync(subnetServiceId, _ => ElectionTrigger.Sweep.Instance, null, null, ct);

    /// <summary>Re-evaluates every active service on the subnets an agent is on.</summary>
    public async Task ReevaluateForAgentAsync(Guid agentId, CancellationToken ct)
    {
        List<Guid> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var onSubnets = db.AgentAddresses.Where(a => a.AgentId == agentId).Select(a => a.SubnetId);
            ids = await db.SubnetServices.Where(s => onSubnets.Contains(s.SubnetId) && (s.DesiredEnabled || s.RepresentativeAgentId != null))
                .Select(s => s.Id).ToListAsync(ct);
        }
        foreach (var id in ids) await ReevaluateAsync(id, ct);
    }

    private static bool Holds(RepresentativeStatus? report, SubnetService svc) =>
        report is not null && report.Term == svc.Term && string.Equals(report.Subnet, svc.Subnet?.Cidr, StringComparison.Ordinal);

    private async Task<CheckInElection> DecideAsync(
        Guid serviceId, Func<SubnetService, ElectionTrigger> trigger, Guid? reportingAgent, RepresentativeStatus? report, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var svc = await db.SubnetServices.Include(s => s.Subnet).FirstOrDefaultAsync(s => s.Id == serviceId, ct);
            if (svc?.Subnet is null) return CheckInElection.None;

            var now = clock.GetUtcNow();
            var candidates = await LoadCandidatesAsync(db, svc.SubnetId, svc.Id, ct);
            if (reportingAgent is { } reporter)
            {
                // Heartbeats reach the database in batches; the agent checking in right now is seen now.
                var i = candidates.FindIndex(c => c.Candidate.AgentId == reporter);
                if (i >= 0) candidates[i] = candidates[i] with { Candidate = candidates[i].Candidate with { LastSeenAt = now }, LastCheckInAt = now };
            }
            var outcome = engine.Decide(new ElectionInput(svc.DesiredEnabled, svc.ToLease(), candidates.Select(c => c.Candidate).ToList(), now, trigger(svc)));

            var dirty = outcome.Changed;
            if (outcome.Changed) svc.Apply(outcome.Lease);
            foreach (var change in outcome.Events)
            {
                db.ElectionEvents.Add(new ElectionEvent
                {
                    SubnetServiceId = svc.Id, At = now, Term = change.Term, Kind = change.Kind,
                    FromAgentId = change.From, FromName = NameOf(candidates, change.From),
                    ToAgentId = change.To, ToName = NameOf(candidates, change.To),
                    Reason = Truncate(change.Reason, 1024),
                    ScoresJson = ScoresJson(outcome.Ranking),
                });
                // Elections change who answers Macs: the audit log keeps them beside the admins' own changes.
                db.AuditEntries.Add(new AuditEntry
                {
                    At = now, UserName = "system", Action = "Election" + change.Kind, EntityType = "SubnetService", EntityId = svc.Id.ToString(),
                    Before = change.From is null ? null : AuditTrail.Serialize(new { Representative = NameOf(candidates, change.From) }),
                    After = AuditTrail.Serialize(new { svc.Subnet.Cidr, change.Term, Representative = NameOf(candidates, change.To) }),
                    Summary = Truncate(AuditSummary(svc.Subnet.Cidr, change, NameOf(candidates, change.From), NameOf(candidates, change.To)), 1024),
                });
            }

            var repReport = svc.RepresentativeAgentId is { } rep && rep == reportingAgent
                ? report
                : await RepresentativeReportAsync(db, svc.RepresentativeAgentId, ct);
            dirty |= UpdateDisplayedState(svc, outcome, candidates, repReport);
            dirty |= await WarnOutsideWhitelistAsync(db, svc, candidates, now, ct);

            if (dirty)
            {
                svc.UpdatedAt = now;
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Another console process (or request) wrote the lease first: re-read and decide again on its result.
                    LogRaceLost(svc.Subnet.Cidr, attempt);
                    continue;
                }
            }

            // Logged once saved: a decision that lost the race above was never made.
            if (dirty) snapshot.Invalidate();
            foreach (var change in outcome.Events) LogChange(svc.Subnet.Cidr, change.Kind, change.Term, change.Reason);
            foreach (var agentId in outcome.Push) nudger.CheckInNow(agentId, $"election on {svc.Subnet.Cidr}");
            if (outcome.Role is not { } granted) return new CheckInElection(null, outcome.NextCheckIn);
            return new CheckInElection(new RepresentativeRole
            {
                Subnet = svc.Subnet.Cidr,
                Service = svc.Service,
                Term = granted.Term,
                LeaseExpiresAt = granted.ExpiresAt,
                LeaseSeconds = (int)granted.Duration.TotalSeconds,
            }, outcome.NextCheckIn);
        }
    }

    internal sealed record LoadedCandidate(ElectionCandidate Candidate, string? Address, DateTimeOffset? LastCheckInAt);

    internal static async Task<List<LoadedCandidate>> LoadCandidatesAsync(AppDbContext db, Guid subnetId, Guid? serviceId, CancellationToken ct)
    {
        var rows = await (
                from link in db.AgentAddresses.AsNoTracking()
                where link.SubnetId == subnetId
                join agent in db.Agents.AsNoTracking() on link.AgentId equals agent.Id
                where agent.RevokedAt == null
                join device in db.Devices.AsNoTracking() on agent.DeviceId equals device.Id
                select new { agent, link.Address, device.HostName })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.agent.Id).Distinct().ToList();
        var busyElsewhere = await db.SubnetServices.AsNoTracking()
            .Where(s => s.Id != serviceId && s.RepresentativeAgentId != null && ids.Contains(s.RepresentativeAgentId.Value))
            .Select(s => s.RepresentativeAgentId!.Value).ToListAsync(ct);

        return rows.GroupBy(r => r.agent.Id).Select(g =>
        {
            var r = g.OrderBy(x => x.Address, StringComparer.Ordinal).First();
            var a = r.agent;
            return new LoadedCandidate(new ElectionCandidate
            {
                AgentId = a.Id,
                Name = r.HostName,
                Address = r.Address,
                Preference = (CandidatePreference)(int)a.Preference,
                Facts = new CandidateFacts(a.WiredLink, a.IsServerOs, a.Cores, a.MemoryBytes, a.FreeDiskBytes),
                SettingEnabled = a.EnableSubnetServices && a.EnablePxe,
                LastSeenAt = a.LastCheckInAt ?? DateTimeOffset.MinValue,
                CheckInInterval = TimeSpan.FromSeconds(Math.Max(1, a.CheckInIntervalSeconds)),
                RepresentsOtherSubnet = busyElsewhere.Contains(a.Id),
            }, r.Address, a.LastCheckInAt);
        }).ToList();
    }

    private static async Task<RepresentativeStatus?> RepresentativeReportAsync(AppDbContext db, Guid? agentId, CancellationToken ct)
    {
        if (agentId is null) return null;
        var a = await db.Agents.AsNoTracking().Where(x => x.Id == agentId)
            .Select(x => new { x.RepresentativeSubnet, x.RepresentativeTerm, x.RepresentativeState, x.RepresentativeProgress, x.RepresentativeError, x.RepresentativeCatalogueVersion })
            .FirstOrDefaultAsync(ct);
        if (a?.RepresentativeSubnet is null || a.RepresentativeTerm is null || a.RepresentativeState is null) return null;
        return new RepresentativeStatus
        {
            Subnet = a.RepresentativeSubnet, Term = a.RepresentativeTerm.Value, State = a.RepresentativeState.Value,
            SyncProgress = a.RepresentativeProgress, Error = a.RepresentativeError, CatalogueVersion = a.RepresentativeCatalogueVersion,
        };
    }

    /// <summary>The state the page shows, from the lease and the representative's own report. True when it changed.</summary>
    private static bool UpdateDisplayedState(SubnetService svc, ElectionOutcome outcome, List<LoadedCandidate> candidates, RepresentativeStatus? report)
    {
        var (state, reason, progress) = DisplayedState(svc, outcome.Ranking, candidates, report);
        if (svc.State == state && svc.StateReason == reason && Nullable.Equals(svc.SyncProgress, progress)) return false;
        svc.State = state;
        svc.StateReason = reason is null ? null : Truncate(reason, 1024);
        svc.SyncProgress = progress;
        return true;
    }

    internal static (SubnetServiceState, string?, double?) DisplayedState(
        SubnetService svc, IReadOnlyList<RankedCandidate> ranking, List<LoadedCandidate> candidates, RepresentativeStatus? report)
    {
        var repName = NameOf(candidates, svc.RepresentativeAgentId) ?? svc.RepresentativeAgentId?.ToString();
        if (!svc.DesiredEnabled)
            return svc.RepresentativeAgentId is null
                ? (SubnetServiceState.Disabled, null, null)
                : (SubnetServiceState.Disabled, $"Stopping {repName}: waiting for it to confirm or for its lease to end", null);
        if (svc.RepresentativeAgentId is null)
            return (SubnetServiceState.Electing, ElectionEngine.WhyNoCandidate(ranking) ?? "Electing a representative", null);
        if (svc.HandoverReason is not null)
            return (SubnetServiceState.Electing, $"Handing over from {repName}: {svc.HandoverReason}", null);
        if (!svc.LeaseClaimed)
            return (SubnetServiceState.Electing, $"Elected {repName} (term {svc.Term}); waiting for it to check in", null);
        var current = report is not null && report.Term == svc.Term && report.Subnet == svc.Subnet?.Cidr ? report : null;
        return current?.State switch
        {
            RepresentativeState.Serving => (SubnetServiceState.Serving, null, null),
            RepresentativeState.Syncing => (SubnetServiceState.Syncing, "Syncing boot files", current.SyncProgress),
            RepresentativeState.Error => (SubnetServiceState.Error, current.Error ?? "The representative reported an error", null),
            RepresentativeState.Idle => (SubnetServiceState.Syncing, $"{repName} holds the lease but reports idle (not serving yet)", null),
            _ => (SubnetServiceState.Syncing, $"{repName} took the lease; waiting for its first report", null),
        };
    }

    /// <summary>Writes one audit entry per term whose representative's address is outside the published whitelist.</summary>
    private static async Task<bool> WarnOutsideWhitelistAsync(AppDbContext db, SubnetService svc, List<LoadedCandidate> candidates, DateTimeOffset now, CancellationToken ct)
    {
        if (svc.RepresentativeAgentId is not { } rep || svc.WhitelistWarnedTerm == svc.Term) return false;
        var whitelist = await db.PublishedWhitelists.AsNoTracking().FirstOrDefaultAsync(w => w.SubnetId == svc.SubnetId, ct);
        var address = candidates.FirstOrDefault(c => c.Candidate.AgentId == rep)?.Address;
        if (whitelist is null || address is null || whitelist.AddressList.Contains(address)) return false;
        svc.WhitelistWarnedTerm = svc.Term;
        db.AuditEntries.Add(new AuditEntry
        {
            At = now, UserName = "system", Action = "WhitelistWarning", EntityType = "SubnetService", EntityId = svc.Id.ToString(),
            After = AuditTrail.Serialize(new { svc.Subnet!.Cidr, Representative = address, svc.Term, Whitelist = whitelist.AddressList }),
            Summary = $"{svc.Subnet.Cidr}: representative {NameOf(candidates, rep)} ({address}) is outside the published SIP NetBoot whitelist",
        });
        return true;
    }

    internal static string AuditSummary(string cidr, ElectionChange change, string? from, string? to) => change.Kind switch
    {
        ElectionEventKind.Elected => $"{cidr}: {to ?? "nobody"} elected representative (term {change.Term}); {change.Reason}",
        ElectionEventKind.HandoverRequested => $"{cidr}: {from ?? "the representative"} asked to hand over (term {change.Term}): {change.Reason}",
        ElectionEventKind.Released => $"{cidr}: {from ?? "the representative"} released the lease (term {change.Term}): {change.Reason}",
        _ => $"{cidr}: {change.Reason} (term {change.Term})", // the reason already says whose lease lapsed and since when
    };

    private static string? NameOf(List<LoadedCandidate> candidates, Guid? id) =>
        id is null ? null : candidates.FirstOrDefault(c => c.Candidate.AgentId == id)?.Candidate.Name;

    internal static string ScoresJson(IReadOnlyList<RankedCandidate> ranking) => JsonSerializer.Serialize(ranking.Select(r => new CandidateScoreRecord(
        r.Candidate.AgentId, r.Candidate.Name, r.Candidate.Address, r.Score.Preference.ToString(), r.Score.CapabilityPoints,
        r.Score.Parts.Select(p => $"{p.Fact} +{p.Points}").ToList(), r.Status.ToString())));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Election on {Subnet}: {Kind} term {Term}: {Reason}")]
    private partial void LogChange(string subnet, ElectionEventKind kind, long term, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Election on {Subnet}: lost the write race (attempt {Attempt}); re-reading")]
    private partial void LogRaceLost(string subnet, int attempt);
}

/// <summary>Optional companion of <see cref="IElectionService"/>: a shorter check-in interval the election wants for an agent.</summary>
public interface IElectionCheckInTiming
{
    /// <summary>Read once per check-in, right after <see cref="IElectionService.OnCheckInAsync"/>.</summary>
    TimeSpan? TakeNextCheckIn(Guid agentId);
}

/// <summary>A candidate's score as stored with an ElectionEvent.</summary>
public sealed record CandidateScoreRecord(
    Guid AgentId, string Name, string? Address, string Preference, int Points, IReadOnlyList<string> Parts, string Status);

using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Dashboard;

/// <summary>The fleet at a glance. Grows as capabilities land; every figure is read from the database.</summary>
public sealed record GetDashboardQuery : IQuery<DashboardSummary>;

public sealed record DashboardSummary(int Users, int WorkPending, int WorkRunning, int WorkFailed, IReadOnlyList<AuditEntry> RecentChanges)
{
    /// <summary>Subnets with PXE enabled, and how many of them have a representative serving.</summary>
    public int PxeSubnets { get; init; }
    public int PxeServing { get; init; }
    /// <summary>Subnets whose representative's address is outside the published SIP NetBoot whitelist.</summary>
    public int WhitelistWarnings { get; init; }
    /// <summary>PXE subnets whose service is in Error (no candidate, sync failed, representative reported an error).</summary>
    public int PxeInError { get; init; }
    /// <summary>Active (not revoked) agents, and how many checked in within three of their own intervals (the inventory's rule).</summary>
    public int Agents { get; init; }
    public int AgentsOnline { get; init; }
    /// <summary>Active agents by age of their last check-in, oldest bucket last; labels match <see cref="CheckInAgeLabels"/>.</summary>
    public IReadOnlyList<int> CheckInAges { get; init; } = [];
    public IReadOnlyList<ElectionSummary> RecentElections { get; init; } = [];
    /// <summary>"Change settings" tasks that are running (targets being worked on or waiting for agents).</summary>
    public int RolloutsInProgress { get; init; }
    /// <summary>Check-ins and BSDP replies per minute over the last hour, as this console process saw them.</summary>
    public IReadOnlyList<ActivityMinute> Activity { get; init; } = [];

    public static readonly IReadOnlyList<string> CheckInAgeLabels = ["< 30 s", "30–60 s", "1–2 min", "2–5 min", "5–15 min", "15–60 min", "> 1 h", "never"];
    /// <summary>Upper bounds of the buckets above, in seconds (the last two are open-ended and "never").</summary>
    internal static readonly int[] CheckInAgeBounds = [30, 60, 120, 300, 900, 3600];
}

public sealed record ElectionSummary(DateTimeOffset At, Guid SubnetId, string Subnet, Subnets.Election.ElectionEventKind Kind, string? FromName, string? ToName, string Reason);

public sealed class GetDashboardHandler(IDbContextFactory<AppDbContext> dbFactory, FleetActivity activity, TimeProvider clock) : IQueryHandler<GetDashboardQuery, DashboardSummary>
{
    public async ValueTask<DashboardSummary> Handle(GetDashboardQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var work = await db.WorkItems.GroupBy(w => w.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(WorkItemState s) => work.FirstOrDefault(w => w.Key == s)?.Count ?? 0;
        var pxe = await db.SubnetServices.AsNoTracking().Where(s => s.DesiredEnabled)
            .Select(s => new { s.SubnetId, s.State, s.RepresentativeAgentId }).ToListAsync(ct);
        var whitelists = await db.PublishedWhitelists.AsNoTracking().ToDictionaryAsync(w => w.SubnetId, w => w.AddressList, ct);
        var repAddresses = await db.AgentAddresses.AsNoTracking()
            .Where(a => db.SubnetServices.Any(s => s.SubnetId == a.SubnetId && s.RepresentativeAgentId == a.AgentId))
            .Select(a => new { a.SubnetId, a.Address }).ToListAsync(ct);
        var warnings = repAddresses.Count(a => whitelists.TryGetValue(a.SubnetId, out var list) && !list.Contains(a.Address));
        var now = clock.GetUtcNow();
        var active = db.Agents.AsNoTracking().Where(a => a.RevokedAt == null);
        // Online per agent interval, counted in the database: intervals take few distinct values.
        var online = 0;
        foreach (var interval in await active.Select(a => a.CheckInIntervalSeconds).Distinct().ToListAsync(ct))
        {
            var since = now - TimeSpan.FromSeconds(3 * Math.Max(1, interval));
            online += await active.CountAsync(a => a.CheckInIntervalSeconds == interval && a.LastCheckInAt != null && a.LastCheckInAt >= since, ct);
        }

        // Cumulative counts "checked in within N seconds", then differences give the buckets.
        var agentCount = await active.CountAsync(ct);
        var never = await active.CountAsync(a => a.LastCheckInAt == null, ct);
        var within = new List<int>();
        foreach (var bound in DashboardSummary.CheckInAgeBounds)
        {
            var since = now - TimeSpan.FromSeconds(bound);
            within.Add(await active.CountAsync(a => a.LastCheckInAt != null && a.LastCheckInAt >= since, ct));
        }
        var ages = new List<int>();
        for (var i = 0; i < within.Count; i++) ages.Add(within[i] - (i == 0 ? 0 : within[i - 1]));
        ages.Add(agentCount - never - within[^1]);
        ages.Add(never);

        var elections = await db.ElectionEvents.AsNoTracking().OrderByDescending(e => e.Id).Take(6)
            .Join(db.SubnetServices, e => e.SubnetServiceId, s => s.Id, (e, s) => new { e, s.SubnetId })
            .Join(db.Subnets, x => x.SubnetId, n => n.Id, (x, n) => new { x.e, x.SubnetId, n.Cidr, n.Name })
            .ToListAsync(ct);

        return new DashboardSummary(
            await db.Users.CountAsync(ct),
            Count(WorkItemState.Pending), Count(WorkItemState.Running), Count(WorkItemState.Failed),
            await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(8).ToListAsync(ct))
        {
            PxeSubnets = pxe.Count,
            PxeServing = pxe.Count(s => s.State == Subnets.SubnetServiceState.Serving),
            WhitelistWarnings = warnings,
            PxeInError = pxe.Count(s => s.State == Subnets.SubnetServiceState.Error),
            Agents = agentCount,
            AgentsOnline = online,
            CheckInAges = ages,
            RolloutsInProgress = await db.ScheduledTasks.CountAsync(t => t.State == ScheduledTasks.ScheduledTaskState.Running, ct),
            Activity = activity.Snapshot(),
            RecentElections = elections.OrderByDescending(x => x.e.Id)
                .Select(x => new ElectionSummary(x.e.At, x.SubnetId, x.Name is { Length: > 0 } n ? $"{n} ({x.Cidr})" : x.Cidr, x.e.Kind, x.e.FromName, x.e.ToName, x.e.Reason)).ToList(),
        };
    }
}

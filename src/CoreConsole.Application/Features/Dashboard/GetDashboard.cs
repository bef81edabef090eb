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
}

public sealed class GetDashboardHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetDashboardQuery, DashboardSummary>
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
        return new DashboardSummary(
            await db.Users.CountAsync(ct),
            Count(WorkItemState.Pending), Count(WorkItemState.Running), Count(WorkItemState.Failed),
            await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(8).ToListAsync(ct))
        {
            PxeSubnets = pxe.Count,
            PxeServing = pxe.Count(s => s.State == Subnets.SubnetServiceState.Serving),
            WhitelistWarnings = warnings,
        };
    }
}

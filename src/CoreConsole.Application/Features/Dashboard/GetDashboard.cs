using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Dashboard;

/// <summary>The fleet at a glance. Grows as capabilities land; every figure is read from the database.</summary>
public sealed record GetDashboardQuery : IQuery<DashboardSummary>;

public sealed record DashboardSummary(int Users, int WorkPending, int WorkRunning, int WorkFailed, IReadOnlyList<AuditEntry> RecentChanges);

public sealed class GetDashboardHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetDashboardQuery, DashboardSummary>
{
    public async ValueTask<DashboardSummary> Handle(GetDashboardQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var work = await db.WorkItems.GroupBy(w => w.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(WorkItemState s) => work.FirstOrDefault(w => w.Key == s)?.Count ?? 0;
        return new DashboardSummary(
            await db.Users.CountAsync(ct),
            Count(WorkItemState.Pending), Count(WorkItemState.Running), Count(WorkItemState.Failed),
            await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(8).ToListAsync(ct));
    }
}

using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Common.Jobs;

/// <summary>
/// At start-up, hands Hangfire every row the database says is still to do: Pending (due now or later) and Running rows
/// whose runner died (the in-memory job store of the embedded default forgets everything on restart).
/// The embedded SQLite store has exactly one console process, so its Running rows are all orphans and are taken over at
/// once; on SQL Server another console may be running them, so only lapsed leases are taken over and the rest are
/// checked again when their lease ends.
/// </summary>
public sealed class WorkItemReconciler(
    IDbContextFactory<AppDbContext> dbFactory, WorkQueue queue, DatabaseInfo database, TimeProvider clock, ILogger<WorkItemReconciler> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var count = await ReconcileAsync(ct);
        if (count > 0) logger.LogInformation("Re-enqueued {Count} unfinished work items", count);
    }

    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.WorkItems
            .Where(w => w.State == WorkItemState.Pending || w.State == WorkItemState.Running)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var singleProcess = database.Provider == DatabaseProvider.Sqlite;
        var dispatch = new List<(Guid Id, DateTimeOffset At)>();
        foreach (var item in open)
        {
            if (item.State == WorkItemState.Running && !singleProcess && item.LeaseUntil > now)
            {
                dispatch.Add((item.Id, item.LeaseUntil.Value)); // maybe alive elsewhere: look again when its lease ends
                continue;
            }
            if (item.State == WorkItemState.Running)
            {
                // Its runner is gone: release the claim so a runner may take it.
                item.State = WorkItemState.Pending;
                item.LeaseUntil = null;
                item.DueAt = now;
            }
            dispatch.Add((item.Id, item.DueAt));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (id, at) in dispatch) queue.Dispatch(id, at);
        return open.Count;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Common.Jobs;

/// <summary>
/// At start-up, hands Hangfire every row the database says is still to do: Pending (due now or later) and Running rows
/// whose runner died (the in-memory job store of the embedded default forgets everything on restart).
/// </summary>
public sealed class WorkItemReconciler(IDbContextFactory<AppDbContext> dbFactory, WorkQueue queue, TimeProvider clock, ILogger<WorkItemReconciler> logger)
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
        foreach (var item in open)
        {
            if (item.State == WorkItemState.Running)
            {
                // The process that held it is gone (this is start-up): release the lease so a runner may claim it.
                item.State = WorkItemState.Pending;
                item.LeaseUntil = null;
                item.DueAt = now;
            }
        }
        await db.SaveChangesAsync(ct);
        foreach (var item in open) queue.Dispatch(item.Id, item.DueAt);
        return open.Count;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

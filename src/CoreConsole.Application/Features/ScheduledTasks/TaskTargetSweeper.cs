using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>
/// Nothing stays Active forever: a target Active (or Pending / due for a retry) with no news for <see cref="TaskExecutionOptions.StaleAfter"/>
/// and no dispatch of its task running in this process is timed out to FailedRetrying and its task dispatched again, which
/// then ends it Succeeded, Failed, Offline or Waiting for policy.
/// </summary>
public sealed class TaskTargetSweeper(IDbContextFactory<AppDbContext> dbFactory, TaskRunner runner, IOptions<TaskExecutionOptions> options,
    TimeProvider clock, ILogger<TaskTargetSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Task target sweep failed"); }
        }
    }

    /// <summary>Returns how many stale targets it found.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.Value.StaleAfter;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stale = await db.TaskTargetResults.AsNoTracking()
            .Where(r => (r.State == TargetState.Active || r.State == TargetState.Pending || r.State == TargetState.FailedRetrying) && r.UpdatedAt < cutoff)
            .Select(r => new { r.Id, r.TaskId, r.State }).ToListAsync(ct);
        var byTask = stale.Where(r => !runner.IsDispatching(r.TaskId)).GroupBy(r => r.TaskId).ToList();
        foreach (var group in byTask)
        {
            var task = await db.ScheduledTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == group.Key, ct);
            if (task is null) continue;
            var now = clock.GetUtcNow();
            await TargetUpdateWriter.ApplyAsync(dbFactory, task,
                group.Where(r => r.State == TargetState.Active)
                    .Select(r => new TargetUpdate(r.Id, TargetEvent.TimedOut, now, "No outcome in time (the console stopped or the push hung); retrying.")).ToList(), null, null, ct);
            await runner.RequestDispatchAsync(task.Id, ct);
        }
        if (stale.Count > 0) logger.LogInformation("Swept {Count} stale target(s) in {Tasks} task(s)", stale.Count, byTask.Count);
        return stale.Count;
    }
}


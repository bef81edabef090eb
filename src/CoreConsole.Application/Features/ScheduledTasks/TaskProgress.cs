using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>Counts of a task's targets by state, for the progress bar.</summary>
public sealed record TargetCounts(IReadOnlyDictionary<TargetState, int> ByState)
{
    public static readonly TargetCounts Empty = new(new Dictionary<TargetState, int>());
    public int Total => ByState.Values.Sum();
    public int this[TargetState s] => ByState.GetValueOrDefault(s);
    public int Finished => ByState.Where(kv => TargetStateMachine.IsTerminal(kv.Key)).Sum(kv => kv.Value);
    public int InDelivery => this[TargetState.Pending] + this[TargetState.Active] + this[TargetState.FailedRetrying];
}

public static class TaskProgress
{
    public static async Task<Dictionary<Guid, TargetCounts>> CountAsync(AppDbContext db, IReadOnlyCollection<Guid> taskIds, CancellationToken ct)
    {
        var rows = await db.TaskTargetResults.AsNoTracking().Where(r => taskIds.Contains(r.TaskId))
            .GroupBy(r => new { r.TaskId, r.State }).Select(g => new { g.Key.TaskId, g.Key.State, Count = g.Count() }).ToListAsync(ct);
        return rows.GroupBy(r => r.TaskId).ToDictionary(g => g.Key, g => new TargetCounts(g.ToDictionary(x => x.State, x => x.Count)));
    }

    /// <summary>
    /// Moves the task to Completed when no target is still being delivered or waiting for its agent (a recurring task goes back
    /// to Scheduled for its next occurrence), or back to Running when targets were re-opened.
    /// </summary>
    public static async Task RefreshStateAsync(IDbContextFactory<AppDbContext> dbFactory, Guid taskId, TimeProvider clock, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var task = await db.ScheduledTasks.FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null || task.State == ScheduledTaskState.Cancelled || task.ResolvedOccurrences == 0) return;
            var open = await db.TaskTargetResults.AnyAsync(r => r.TaskId == taskId
                && (r.State == TargetState.Pending || r.State == TargetState.Active || r.State == TargetState.FailedRetrying || r.State == TargetState.WaitingForPolicy), ct);
            var wanted = open ? ScheduledTaskState.Running : task.NextRunAt is not null ? ScheduledTaskState.Scheduled : ScheduledTaskState.Completed;
            if (wanted == task.State) return;
            task.State = wanted;
            task.FinishedAt = wanted == ScheduledTaskState.Running ? null : clock.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone (a result, a cancel) changed the task meanwhile: look again.
            }
        }
    }
}

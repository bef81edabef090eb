using CoreConsole.Application.Common.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Common.Jobs;

/// <summary>Runs one kind of <see cref="WorkItem"/>. Must be idempotent: a row may run again after a crash.</summary>
public interface IWorkItemHandler
{
    string Kind { get; }
    Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct);
}

/// <summary>
/// Stores work as a row first, then hands its id to Hangfire. If the process dies in between,
/// <see cref="WorkItemReconciler"/> finds the row at start-up and enqueues it again.
/// </summary>
public sealed class WorkQueue(IDbContextFactory<AppDbContext> dbFactory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<Guid> EnqueueAsync(string kind, string? payload, string? key = null, DateTimeOffset? dueAt = null, int maxAttempts = 3, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (key is not null && await db.WorkItems.AsNoTracking().FirstOrDefaultAsync(w => w.Key == key, ct) is { } existing)
            return existing.Id;

        var now = clock.GetUtcNow();
        var item = new WorkItem
        {
            Id = Guid.NewGuid(), Kind = kind, Payload = payload, Key = key, State = WorkItemState.Pending,
            CreatedAt = now, DueAt = dueAt ?? now, MaxAttempts = maxAttempts,
        };
        db.WorkItems.Add(item);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (key is not null)
        {
            // Lost a race with another enqueue of the same key (unique index): the work exists once, use that row.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return (await again.WorkItems.AsNoTracking().FirstAsync(w => w.Key == key, ct)).Id;
        }
        Dispatch(item.Id, item.DueAt);
        return item.Id;
    }

    internal void Dispatch(Guid id, DateTimeOffset dueAt)
    {
        var delay = dueAt - clock.GetUtcNow();
        if (delay > TimeSpan.FromSeconds(1))
            jobs.Schedule<WorkItemRunner>(r => r.RunAsync(id, CancellationToken.None), delay);
        else
            jobs.Enqueue<WorkItemRunner>(r => r.RunAsync(id, CancellationToken.None));
    }
}

using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Common.Jobs;

/// <summary>
/// The one Hangfire job class: loads the row, claims it with a lease (optimistic concurrency, so two runners never both
/// run it), runs its handler and records the outcome. Retries are ours, not Hangfire's, so the row stays the truth.
/// </summary>
public sealed class WorkItemRunner(
    IDbContextFactory<AppDbContext> dbFactory,
    IEnumerable<IWorkItemHandler> handlers,
    WorkQueue queue,
    TimeProvider clock,
    IOptions<WorkItemRunnerOptions> options,
    ILogger<WorkItemRunner> logger)
{
    /// <summary>How long a claim holds without renewal; a running handler renews it every third of this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid id, CancellationToken ct)
    {
        using var system = Security.SystemContext.Enter(); // jobs act, and are audited, as the system
        var item = await ClaimAsync(id, ct);
        if (item is null) return;

        var handler = handlers.FirstOrDefault(h => h.Kind == item.Kind);
        if (handler is null)
        {
            await FinishAsync(id, WorkItemState.Failed, $"No handler for work kind '{item.Kind}'.", ct);
            return;
        }

        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewLeaseWhileRunningAsync(id, renewal.Token);
        try
        {
            await handler.RunAsync(item, new Progress<string>(p => _ = ReportProgressAsync(id, p)), ct);
            await StopRenewingAsync(renewal, renewing);
            await FinishAsync(id, WorkItemState.Succeeded, null, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await StopRenewingAsync(renewal, renewing);
            logger.LogWarning(ex, "Work item {WorkItemId} ({Kind}) attempt {Attempt} failed", id, item.Kind, item.Attempts);
            if (item.Attempts < item.MaxAttempts)
            {
                var retryAt = clock.GetUtcNow() + Backoff(item.Attempts, options.Value);
                await RescheduleAsync(id, retryAt, ex.Message, ct);
                queue.Dispatch(id, retryAt);
            }
            else
            {
                await FinishAsync(id, WorkItemState.Failed, ex.Message, ct);
            }
        }
    }

    internal static TimeSpan Backoff(int attempt) => Backoff(attempt, new WorkItemRunnerOptions());

    /// <summary>Exponential: the first retry waits <see cref="WorkItemRunnerOptions.FirstRetryDelay"/>, each next one twice as long, capped.</summary>
    internal static TimeSpan Backoff(int attempt, WorkItemRunnerOptions o) =>
        TimeSpan.FromTicks((long)Math.Min(o.MaxRetryDelay.Ticks, o.FirstRetryDelay.Ticks * Math.Pow(2, attempt - 1)));

    /// <summary>Keeps the claim alive for long handlers (a rollout to thousands of agents), so no one takes over live work.</summary>
    private async Task RenewLeaseWhileRunningAsync(Guid id, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 3, clock, ct);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var until = clock.GetUtcNow() + Lease;
                await db.WorkItems.Where(w => w.Id == id && w.State == WorkItemState.Running)
                    .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseUntil, until), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Lease renewal for work item {WorkItemId} stopped", id);
        }
    }

    private static async Task StopRenewingAsync(CancellationTokenSource renewal, Task renewing)
    {
        await renewal.CancelAsync();
        await renewing;
    }

    private async Task<WorkItem?> ClaimAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.WorkItems.FirstOrDefaultAsync(w => w.Id == id, ct);
        var now = clock.GetUtcNow();
        if (item is null) return null;
        var claimable = item.State == WorkItemState.Pending && item.DueAt <= now + TimeSpan.FromSeconds(2)
                        || item.State == WorkItemState.Running && item.LeaseUntil < now;
        if (!claimable) return null;

        item.State = WorkItemState.Running;
        item.StartedAt = now;
        item.LeaseUntil = now + Lease;
        item.Attempts++;
        try
        {
            await db.SaveChangesAsync(ct);
            return item;
        }
        catch (DbUpdateConcurrencyException)
        {
            return null; // another runner claimed it first
        }
    }

    private async Task FinishAsync(Guid id, WorkItemState state, string? error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var item = await db.WorkItems.FirstAsync(w => w.Id == id, CancellationToken.None);
        item.State = state;
        item.FinishedAt = clock.GetUtcNow();
        item.LeaseUntil = null;
        item.LastError = error is { Length: > 2000 } ? error[..2000] : error;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task RescheduleAsync(Guid id, DateTimeOffset dueAt, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var item = await db.WorkItems.FirstAsync(w => w.Id == id, CancellationToken.None);
        item.State = WorkItemState.Pending;
        item.DueAt = dueAt;
        item.LeaseUntil = null;
        item.LastError = error is { Length: > 2000 } ? error[..2000] : error;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task ReportProgressAsync(Guid id, string progress)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.WorkItems.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Progress, progress));
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Progress update for {WorkItemId} lost", id);
        }
    }
}

/// <summary>Retry timing for failed work items (defaults suit production; tests shorten them).</summary>
public sealed class WorkItemRunnerOptions
{
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}

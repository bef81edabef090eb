using System.Collections.Concurrent;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>
/// Executes tasks. Everything starts as a WorkItem row (so a restart resumes it) and every target is a row before anything is
/// sent. An occurrence resolves its targets once (guarded by <see cref="ScheduledTask.ResolvedOccurrences"/>), then a dispatch
/// delivers every target still owed a delivery. Dispatch is idempotent: after a crash, Active targets are pushed again with the
/// same workId and the agent, which applies each (workId, revisionId) once, answers with what it already installed.
/// </summary>
public sealed class TaskRunner(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkQueue queue,
    AgentPusher pusher,
    Inventory.AgentStateCache agentCache,
    WriteGate writeGate,
    IOptions<TaskExecutionOptions> options,
    TimeProvider clock,
    ILogger<TaskRunner> logger)
{
    public const string OccurrenceKind = "scheduled-task.occurrence";
    public const string DispatchKind = "scheduled-task.dispatch";

    private readonly TaskExecutionOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _dispatchLocks = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>Tasks with a dispatch running in this process (the sweep leaves their targets alone).</summary>
    public bool IsDispatching(Guid taskId) => _running.ContainsKey(taskId);

    public Task ScheduleOccurrenceAsync(Guid taskId, int occurrence, DateTimeOffset dueAt, CancellationToken ct, string? keySuffix = null) =>
        queue.EnqueueAsync(OccurrenceKind, $"{taskId:D}:{occurrence}", $"task:{taskId:N}:occurrence:{occurrence}{keySuffix}", dueAt, maxAttempts: 5, ct: ct);

    public Task RequestDispatchAsync(Guid taskId, CancellationToken ct) =>
        queue.EnqueueAsync(DispatchKind, taskId.ToString("D"), $"task:{taskId:N}:dispatch:{Guid.NewGuid():N}", maxAttempts: 5, ct: ct);

    /// <summary>Stops this process's dispatch of a cancelled task (its rows are already Cancelled).</summary>
    public void SignalCancelled(Guid taskId)
    {
        if (_running.TryGetValue(taskId, out var cts)) cts.Cancel();
    }

    public async Task RunOccurrenceAsync(Guid taskId, int occurrence, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var task = await db.ScheduledTasks.Include(t => t.Targets).FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null || task.State == ScheduledTaskState.Cancelled) return;

            if (task.ResolvedOccurrences < occurrence)
            {
                var now = clock.GetUtcNow();
                var resolution = await TargetResolver.ResolveAsync(db, task.Targets.Select(t => new TargetRef(t.Kind, t.RefId, t.Label)), ct);
                var existing = await db.TaskTargetResults.Where(r => r.TaskId == taskId && r.SettingRevisionId == task.SettingRevisionId)
                    .ToDictionaryAsync(r => r.AgentId, ct);
                foreach (var device in resolution.Devices)
                {
                    if (existing.TryGetValue(device.AgentId, out var row))
                    {
                        // A later occurrence retries what did not work; what succeeded is never applied twice.
                        if (TargetStateMachine.Next(row.State, TargetEvent.Rerun, task.Delivery) is { } again)
                        {
                            TargetUpdateWriter.Apply(row, again, new TargetUpdate(row.Id, TargetEvent.Rerun, now, Attempts: 0));
                        }
                        continue;
                    }
                    db.TaskTargetResults.Add(new TaskTargetResult
                    {
                        Id = Guid.NewGuid(), TaskId = taskId, AgentId = device.AgentId, DeviceId = device.DeviceId, DeviceName = device.DeviceName,
                        SettingRevisionId = task.SettingRevisionId, State = TargetState.Pending, CreatedAt = now, UpdatedAt = now,
                    });
                }
                task.ResolvedOccurrences = occurrence;
                task.State = ScheduledTaskState.Running;
                task.StartedAt ??= now;
                task.FinishedAt = null;
                task.NextRunAt = task.ScheduleKind == TaskScheduleKind.Recurring && TaskSchedule.TryFindZone(task.TimeZoneId, out var zone)
                    ? TaskSchedule.NextOccurrence(task.CronExpression!, zone, now) : null;
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Task {TaskId} occurrence {Occurrence}: {Count} device(s), {Unresolved} target(s) matched nothing",
                    taskId, occurrence, resolution.Devices.Count, resolution.Unresolved.Count);
                if (task.NextRunAt is { } next) await ScheduleOccurrenceAsync(taskId, occurrence + 1, next, ct);
            }
        }
        await DispatchAsync(taskId, ct);
    }

    /// <summary>Delivers every target of the task that is still owed a delivery.</summary>
    public async Task DispatchAsync(Guid taskId, CancellationToken ct)
    {
        var gate = _dispatchLocks.GetOrAdd(taskId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _running[taskId] = cancel;
        try
        {
            await DispatchLockedAsync(taskId, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogInformation("Task {TaskId} dispatch stopped: the task was cancelled", taskId);
        }
        finally
        {
            _running.TryRemove(taskId, out _);
            gate.Release();
        }
        await TaskProgress.RefreshStateAsync(dbFactory, taskId, clock, CancellationToken.None);
    }

    private sealed record Work(Guid Id, Guid AgentId, TargetState State, int Attempts, string? PushUrl, byte[] PushKey);

    private async Task DispatchLockedAsync(Guid taskId, CancellationToken ct)
    {
        ScheduledTask? task;
        AgentSettings.AgentSettingRevision? revision;
        List<Work> work;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            task = await db.ScheduledTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null || task.State == ScheduledTaskState.Cancelled) return;
            revision = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == task.SettingRevisionId, ct);
            var states = TargetStateMachine.DeliveryStates.ToList();
            work = await db.TaskTargetResults.AsNoTracking()
                .Where(r => r.TaskId == taskId && states.Contains(r.State))
                .Join(db.Agents.AsNoTracking(), r => r.AgentId, a => a.Id, (r, a) => new Work(r.Id, r.AgentId, r.State, r.Attempts, a.PushUrl, a.PushKey))
                .ToListAsync(ct);
        }
        if (work.Count == 0) return;

        await using var writer = new TargetUpdateWriter(dbFactory, task, agentCache, writeGate);
        if (revision is null)
        {
            foreach (var w in work) writer.Post(new TargetUpdate(w.Id, TargetEvent.Rejected, clock.GetUtcNow(), "The setting revision was deleted."));
            return;
        }

        if (task.Delivery == TaskDelivery.Policy)
        {
            var now = clock.GetUtcNow();
            foreach (var w in work) writer.Post(new TargetUpdate(w.Id, TargetEvent.HandedToPolicy, now, PolicyMessage(task.Portal)));
            return;
        }

        logger.LogInformation("Task {TaskId}: pushing to {Count} target(s)", taskId, work.Count);
        var contract = revision.ToContract();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelPushes), CancellationToken = ct },
            async (w, token) => await DeliverAsync(task, contract, w, writer, token));
    }

    private async Task DeliverAsync(ScheduledTask task, SettingRevision revision, Work w, TargetUpdateWriter writer, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(w.PushUrl) || w.PushKey.Length == 0)
        {
            writer.Post(new TargetUpdate(w.Id, TargetEvent.Unreachable, clock.GetUtcNow(), UnreachableMessage(task, "The agent has no push listener.")));
            return;
        }
        // Required work is applied by the push itself; a portal offer is only announced (the agent fetches it with its policy).
        var request = task.Portal == PortalMode.Required
            ? new PushRequest { Kind = PushKind.ApplySettings, WorkId = w.Id, SettingRevision = revision }
            : new PushRequest { Kind = PushKind.CheckInNow, WorkId = w.Id };

        // At least one attempt per dispatch, even for a target whose attempts ran out in a run that died.
        var lastAttempt = Math.Max(w.Attempts + 1, _options.MaxPushAttempts);
        for (var attempt = w.Attempts + 1; ; attempt++)
        {
            writer.Post(new TargetUpdate(w.Id, TargetEvent.PushStarted, clock.GetUtcNow(), Attempts: attempt));
            var outcome = await pusher.PushAsync(w.AgentId, w.PushUrl, w.PushKey, request, ct);
            var now = clock.GetUtcNow();
            switch (outcome.Kind)
            {
                case PushOutcomeKind.Applied:
                    writer.Post(new TargetUpdate(w.Id, TargetEvent.Applied, now, outcome.Message));
                    return;
                case PushOutcomeKind.Acknowledged:
                    writer.Post(new TargetUpdate(w.Id, TargetEvent.HandedToPolicy, now, PolicyMessage(task.Portal)));
                    return;
                case PushOutcomeKind.Rejected:
                    writer.Post(new TargetUpdate(w.Id, TargetEvent.Rejected, now, outcome.Message));
                    return;
            }
            if (attempt >= lastAttempt)
            {
                writer.Post(new TargetUpdate(w.Id, TargetEvent.Unreachable, now, UnreachableMessage(task, outcome.Message)));
                return;
            }
            var delay = RetryDelay(attempt);
            writer.Post(new TargetUpdate(w.Id, TargetEvent.TransientFailure, now, outcome.Message, NextAttemptAt: now + delay));
            await Task.Delay(delay, clock, ct);
        }
    }

    /// <summary>Exponential backoff with ±25 % jitter so a fleet that failed together does not retry in step.</summary>
    internal TimeSpan RetryDelay(int attempt) =>
        _options.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.75 + 0.5 * Random.Shared.NextDouble());

    private static string PolicyMessage(PortalMode portal) => portal == PortalMode.Required
        ? "Waiting for the agent's next policy poll."
        : $"Offered as {portal.ToString().ToLowerInvariant()} in the agent's portal (coreconsole-agent portal list).";

    private static string UnreachableMessage(ScheduledTask task, string? why) => task.Delivery == TaskDelivery.PolicySupportedPush
        ? $"Push failed ({why}); the agent will take it at its next policy poll."
        : $"Unreachable: {why}";
}

/// <summary>Runs occurrences and dispatches from WorkItem rows.</summary>
public sealed class TaskOccurrenceWorkHandler(TaskRunner runner) : IWorkItemHandler
{
    public string Kind => TaskRunner.OccurrenceKind;

    public Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct)
    {
        var parts = (item.Payload ?? "").Split(':');
        return runner.RunOccurrenceAsync(Guid.Parse(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), ct);
    }
}

public sealed class TaskDispatchWorkHandler(TaskRunner runner) : IWorkItemHandler
{
    public string Kind => TaskRunner.DispatchKind;
    public Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct) => runner.DispatchAsync(Guid.Parse(item.Payload!), ct);
}

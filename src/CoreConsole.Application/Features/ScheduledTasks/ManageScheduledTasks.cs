using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>Runs an occurrence now (a scheduled task before its time, or a finished one again: only targets not yet succeeded get work).</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record StartScheduledTaskNowCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

/// <summary>Stops a task: every target not finished becomes Cancelled; future occurrences do not run.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record CancelScheduledTaskCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

/// <summary>Failed and Offline targets go back to Pending and are delivered again.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record RerunFailedTargetsCommand(Guid Id) : ICommand<Result<int>>, IAuditedCommand;

public sealed class ManageScheduledTasksHandler(IDbContextFactory<AppDbContext> dbFactory, TaskRunner runner, TimeProvider clock) :
    ICommandHandler<StartScheduledTaskNowCommand, Result>,
    ICommandHandler<CancelScheduledTaskCommand, Result>,
    ICommandHandler<RerunFailedTargetsCommand, Result<int>>
{
    public async ValueTask<Result> Handle(StartScheduledTaskNowCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.ScheduledTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (task is null) return Error.NotFound("The task");
        if (task.State == ScheduledTaskState.Cancelled) return Error.Conflict("The task was cancelled; clone it to run it again.");
        if (!await db.AgentSettingRevisions.AnyAsync(r => r.Id == task.SettingRevisionId, ct))
            return Error.Conflict("The task's setting was deleted; clone the task and choose another setting.");
        var occurrence = task.ResolvedOccurrences + 1;
        await runner.ScheduleOccurrenceAsync(task.Id, occurrence, clock.GetUtcNow(), ct, keySuffix: $":now:{Guid.NewGuid():N}");
        AuditTrail.Record(nameof(ScheduledTask), task.Id, null, null, $"Task {task.Name} started now (occurrence {occurrence})");
        return Result.Ok();
    }

    public async ValueTask<Result> Handle(CancelScheduledTaskCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.ScheduledTasks.FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (task is null) return Error.NotFound("The task");
        if (task.State is ScheduledTaskState.Cancelled) return Result.Ok();
        var before = task.State;
        var now = clock.GetUtcNow();
        task.State = ScheduledTaskState.Cancelled;
        task.NextRunAt = null;
        task.FinishedAt = now;
        await db.SaveChangesAsync(ct);
        var open = new[] { TargetState.Pending, TargetState.Active, TargetState.FailedRetrying, TargetState.WaitingForPolicy };
        var cancelled = await db.TaskTargetResults.Where(r => r.TaskId == c.Id && open.Contains(r.State))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, TargetState.Cancelled).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.UpdatedAt, now).SetProperty(r => r.NextAttemptAt, (DateTimeOffset?)null), ct);
        runner.SignalCancelled(c.Id);
        AuditTrail.Record(nameof(ScheduledTask), task.Id, new { State = before }, new { task.State }, $"Task {task.Name} cancelled ({cancelled} target(s) not finished)");
        return Result.Ok();
    }

    public async ValueTask<Result<int>> Handle(RerunFailedTargetsCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.ScheduledTasks.FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (task is null) return Error.NotFound("The task");
        if (task.State == ScheduledTaskState.Cancelled) return Error.Conflict("The task was cancelled; clone it to run it again.");
        if (!await db.AgentSettingRevisions.AnyAsync(r => r.Id == task.SettingRevisionId, ct))
            return Error.Conflict("The task's setting was deleted; clone the task and choose another setting.");
        var now = clock.GetUtcNow();
        var rows = await db.TaskTargetResults.Where(r => r.TaskId == c.Id && (r.State == TargetState.Failed || r.State == TargetState.Offline)).ToListAsync(ct);
        if (rows.Count == 0) return Error.Conflict("No target of this task has failed.");
        foreach (var row in rows)
            TargetUpdateWriter.Apply(row, TargetStateMachine.Next(row.State, TargetEvent.Rerun, task.Delivery)!.Value,
                new TargetUpdate(row.Id, TargetEvent.Rerun, now, Attempts: 0));
        task.State = ScheduledTaskState.Running;
        task.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        await runner.RequestDispatchAsync(task.Id, ct);
        AuditTrail.Record(nameof(ScheduledTask), task.Id, null, new { Rerun = rows.Count }, $"Task {task.Name}: {rows.Count} failed target(s) re-run");
        return rows.Count;
    }
}

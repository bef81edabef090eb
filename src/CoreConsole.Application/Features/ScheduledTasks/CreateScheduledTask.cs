using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Contracts.Agents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>The wizard's result: a "Change settings" task, scheduled at once (or run now).</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record CreateScheduledTaskCommand(
    string Name,
    Guid SettingRevisionId,
    TaskDelivery Delivery,
    PortalMode Portal,
    IReadOnlyList<TargetRef> Targets,
    TaskScheduleKind ScheduleKind,
    DateTime? RunAtLocal,
    string? CronExpression,
    string TimeZoneId) : ICommand<Result<Guid>>, IAuditedCommand;

public sealed class CreateScheduledTaskValidator : AbstractValidator<CreateScheduledTaskCommand>
{
    /// <summary>A start time a little in the past (the admin took a minute to click) still counts as now.</summary>
    public static readonly TimeSpan PastGrace = TimeSpan.FromMinutes(1);

    public CreateScheduledTaskValidator(TimeProvider clock)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter a name.").MaximumLength(200);
        RuleFor(x => x.SettingRevisionId).NotEmpty().WithMessage("Choose the setting to roll out.");
        RuleFor(x => x.Delivery).IsInEnum();
        RuleFor(x => x.Portal).IsInEnum();
        RuleFor(x => x.Targets).NotEmpty().WithMessage("Choose at least one device, subnet or saved query.");
        RuleFor(x => x.TimeZoneId).Must(id => TaskSchedule.TryFindZone(id, out _)).WithMessage("Choose a known time zone.");
        When(x => x.ScheduleKind == TaskScheduleKind.At, () =>
        {
            RuleFor(x => x.RunAtLocal).NotNull().WithMessage("Choose the date and time to start.")
                .Must((x, local) => !TaskSchedule.TryFindZone(x.TimeZoneId, out var zone)
                                    || TaskSchedule.ToInstant(local!.Value, zone) >= clock.GetUtcNow() - PastGrace)
                .When(x => x.RunAtLocal is not null)
                .WithMessage("This time is in the past; choose a later one or start now.");
        });
        When(x => x.ScheduleKind == TaskScheduleKind.Recurring, () =>
        {
            RuleFor(x => x.CronExpression).NotEmpty().WithMessage("Enter a cron expression, e.g. 0 2 * * 1-5 (02:00 on weekdays).")
                .Must(e => TaskSchedule.TryParseCron(e, out _)).WithMessage("This is not a cron expression (minute hour day month weekday).")
                .Must((x, e) => !TaskSchedule.TryFindZone(x.TimeZoneId, out var zone) || !TaskSchedule.TryParseCron(e, out _)
                                || TaskSchedule.NextOccurrence(e!, zone, clock.GetUtcNow()) is not null)
                .WithMessage("This expression never fires (e.g. 30 February); nothing would ever run.");
        });
    }
}

public sealed class CreateScheduledTaskHandler(IDbContextFactory<AppDbContext> dbFactory, TaskRunner runner, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<CreateScheduledTaskCommand, Result<Guid>>
{
    public async ValueTask<Result<Guid>> Handle(CreateScheduledTaskCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var revision = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == c.SettingRevisionId, ct);
        if (revision is null)
            return Error.Validation(nameof(c.SettingRevisionId), "This setting was deleted; choose another one.");

        var unknown = await FindMissingAsync(db, c.Targets, ct);
        if (unknown.Count > 0)
            return Error.Validation(nameof(c.Targets), $"These targets no longer exist: {string.Join(", ", unknown.Select(t => t.Label))}.");

        TaskSchedule.TryFindZone(c.TimeZoneId, out var zone);
        var now = clock.GetUtcNow();
        var firstRun = c.ScheduleKind switch
        {
            TaskScheduleKind.At => TaskSchedule.ToInstant(c.RunAtLocal!.Value, zone),
            TaskScheduleKind.Recurring => TaskSchedule.NextOccurrence(c.CronExpression!, zone, now)!.Value,
            _ => now,
        };
        if (firstRun < now) firstRun = now; // within the validator's grace

        var user = await currentUser.GetAsync(ct);
        var task = new ScheduledTask
        {
            Id = Guid.NewGuid(), Name = c.Name.Trim(), SettingId = revision.SettingId, SettingRevisionId = revision.Id, SettingRevisionNumber = revision.Number,
            Delivery = c.Delivery, Portal = c.Portal, ScheduleKind = c.ScheduleKind,
            RunAt = c.ScheduleKind == TaskScheduleKind.At ? firstRun : null,
            CronExpression = c.ScheduleKind == TaskScheduleKind.Recurring ? c.CronExpression!.Trim() : null,
            TimeZoneId = c.TimeZoneId, State = ScheduledTaskState.Scheduled, NextRunAt = firstRun, CreatedAt = now, CreatedBy = user.Name,
            Targets = c.Targets.DistinctBy(t => (t.Kind, t.Id)).Select(t => new TaskTarget { Kind = t.Kind, RefId = t.Id, Label = t.Label }).ToList(),
        };
        db.ScheduledTasks.Add(task);
        await db.SaveChangesAsync(ct);
        await runner.ScheduleOccurrenceAsync(task.Id, 1, firstRun, ct);

        var setting = await db.AgentSettings.AsNoTracking().Where(s => s.Id == revision.SettingId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        AuditTrail.Record(nameof(ScheduledTask), task.Id, null,
            new { task.Name, Setting = $"{setting} r{revision.Number}", task.Delivery, task.Portal, task.ScheduleKind, task.NextRunAt, task.CronExpression, Targets = c.Targets.Select(t => t.Label) },
            $"Task {task.Name} scheduled ({task.Delivery}, {task.Portal}) for {firstRun:u}");
        return task.Id;
    }

    internal static async Task<List<TargetRef>> FindMissingAsync(AppDbContext db, IEnumerable<TargetRef> targets, CancellationToken ct)
    {
        var missing = new List<TargetRef>();
        foreach (var t in targets)
        {
            var exists = t.Kind switch
            {
                TaskTargetKind.Device => await db.Devices.AnyAsync(d => d.Id == t.Id, ct),
                TaskTargetKind.Subnet => await db.Subnets.AnyAsync(s => s.Id == t.Id, ct),
                TaskTargetKind.Query => await db.SavedInventoryQueries.AnyAsync(q => q.Id == t.Id, ct),
                _ => false,
            };
            if (!exists) missing.Add(t);
        }
        return missing;
    }
}

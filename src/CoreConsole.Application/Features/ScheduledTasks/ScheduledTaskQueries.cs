using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

public sealed record ScheduledTaskRow(
    Guid Id, string Name, string SettingName, int SettingRevisionNumber, TaskDelivery Delivery, PortalMode Portal,
    TaskScheduleKind ScheduleKind, string? CronExpression, string TimeZoneId, ScheduledTaskState State,
    DateTimeOffset? NextRunAt, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, TargetCounts Counts);

public sealed record ScheduledTaskDetail(ScheduledTaskRow Task, Guid SettingId, Guid SettingRevisionId, bool SettingExists,
    IReadOnlyList<TargetRef> Targets, string? CreatedBy);

public sealed record ListScheduledTasksQuery : IQuery<IReadOnlyList<ScheduledTaskRow>>;
public sealed record GetScheduledTaskQuery(Guid Id) : IQuery<ScheduledTaskDetail?>;
public sealed record ListTaskTargetResultsQuery(Guid TaskId, TargetState? State = null, string? Search = null, int Page = 0, int PageSize = 50)
    : IQuery<Paged<TaskTargetResult>>;

public sealed class ScheduledTaskQueriesHandler(IDbContextFactory<AppDbContext> dbFactory) :
    IQueryHandler<ListScheduledTasksQuery, IReadOnlyList<ScheduledTaskRow>>,
    IQueryHandler<GetScheduledTaskQuery, ScheduledTaskDetail?>,
    IQueryHandler<ListTaskTargetResultsQuery, Paged<TaskTargetResult>>
{
    public async ValueTask<IReadOnlyList<ScheduledTaskRow>> Handle(ListScheduledTasksQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tasks = await db.ScheduledTasks.AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(500).ToListAsync(ct);
        var counts = await TaskProgress.CountAsync(db, tasks.Select(t => t.Id).ToList(), ct);
        var names = await SettingNamesAsync(db, tasks, ct);
        return tasks.Select(t => ToRow(t, names, counts)).ToList();
    }

    public async ValueTask<ScheduledTaskDetail?> Handle(GetScheduledTaskQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.ScheduledTasks.AsNoTracking().Include(t => t.Targets).FirstOrDefaultAsync(t => t.Id == q.Id, ct);
        if (task is null) return null;
        var counts = await TaskProgress.CountAsync(db, [task.Id], ct);
        var names = await SettingNamesAsync(db, [task], ct);
        return new ScheduledTaskDetail(ToRow(task, names, counts), task.SettingId, task.SettingRevisionId, names.ContainsKey(task.SettingId),
            task.Targets.Select(t => new TargetRef(t.Kind, t.RefId, t.Label)).ToList(), task.CreatedBy);
    }

    public async ValueTask<Paged<TaskTargetResult>> Handle(ListTaskTargetResultsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.TaskTargetResults.AsNoTracking().Where(r => r.TaskId == q.TaskId);
        if (q.State is { } state) rows = rows.Where(r => r.State == state);
        if (!string.IsNullOrWhiteSpace(q.Search)) rows = rows.Where(r => r.DeviceName.Contains(q.Search));
        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await rows.CountAsync(ct);
        var items = await rows.OrderBy(r => r.DeviceName).ThenBy(r => r.Id).Skip(Math.Max(0, q.Page) * size).Take(size).ToListAsync(ct);
        return new Paged<TaskTargetResult>(items, total, q.Page, size);
    }

    private static async Task<Dictionary<Guid, string>> SettingNamesAsync(AppDbContext db, IReadOnlyCollection<ScheduledTask> tasks, CancellationToken ct)
    {
        var ids = tasks.Select(t => t.SettingId).Distinct().ToList();
        return await db.AgentSettings.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
    }

    private static ScheduledTaskRow ToRow(ScheduledTask t, Dictionary<Guid, string> names, Dictionary<Guid, TargetCounts> counts) =>
        new(t.Id, t.Name, names.GetValueOrDefault(t.SettingId) ?? "(deleted setting)", t.SettingRevisionNumber, t.Delivery, t.Portal, t.ScheduleKind,
            t.CronExpression, t.TimeZoneId, t.State, t.NextRunAt, t.CreatedAt, t.StartedAt, t.FinishedAt, counts.GetValueOrDefault(t.Id) ?? TargetCounts.Empty);
}

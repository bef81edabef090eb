using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>What the wizard offers as targets: devices matching a search (at most 20), all subnets, all saved queries.</summary>
public sealed record ListTargetChoicesQuery(string? DeviceSearch = null) : IQuery<TargetChoices>;

public sealed record TargetChoices(IReadOnlyList<TargetRef> Devices, IReadOnlyList<TargetRef> Subnets, IReadOnlyList<TargetRef> Queries);

public sealed class ListTargetChoicesHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListTargetChoicesQuery, TargetChoices>
{
    public async ValueTask<TargetChoices> Handle(ListTargetChoicesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = db.Devices.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.DeviceSearch))
            devices = devices.Where(d => d.HostName.Contains(q.DeviceSearch) || (d.SerialNumber != null && d.SerialNumber.Contains(q.DeviceSearch)));
        var deviceRefs = await devices.OrderBy(d => d.HostName).Take(20)
            .Select(d => new TargetRef(TaskTargetKind.Device, d.Id, d.HostName)).ToListAsync(ct);
        var subnets = await db.Subnets.AsNoTracking().OrderBy(s => s.NetworkNumber).ThenBy(s => s.PrefixLength)
            .Select(s => new TargetRef(TaskTargetKind.Subnet, s.Id, s.Name == null ? s.Cidr : s.Cidr + " (" + s.Name + ")")).ToListAsync(ct);
        var queries = await db.SavedInventoryQueries.AsNoTracking().OrderBy(x => x.Name)
            .Select(x => new TargetRef(TaskTargetKind.Query, x.Id, x.Name)).ToListAsync(ct);
        return new TargetChoices(deviceRefs, subnets, queries);
    }
}

/// <summary>The wizard pre-filled from an existing task (Clone).</summary>
public sealed record GetScheduledTaskCloneQuery(Guid Id) : IQuery<CreateScheduledTaskCommand?>;

public sealed class GetScheduledTaskCloneHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetScheduledTaskCloneQuery, CreateScheduledTaskCommand?>
{
    public async ValueTask<CreateScheduledTaskCommand?> Handle(GetScheduledTaskCloneQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var t = await db.ScheduledTasks.AsNoTracking().Include(x => x.Targets).FirstOrDefaultAsync(x => x.Id == q.Id, ct);
        if (t is null) return null;
        return new CreateScheduledTaskCommand($"{t.Name} (copy)", t.SettingRevisionId, t.Delivery, t.Portal,
            t.Targets.Select(x => new TargetRef(x.Kind, x.RefId, x.Label)).ToList(), TaskScheduleKind.Now, null, t.CronExpression, t.TimeZoneId);
    }
}

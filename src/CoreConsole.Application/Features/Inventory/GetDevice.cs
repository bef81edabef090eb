using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using System.Linq.Expressions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Inventory;

/// <summary>One device with its agent and subnets, for the detail page.</summary>
public sealed record GetDeviceQuery(Guid Id) : IQuery<DeviceDetails?>;

public sealed record DeviceDetails(Device Device, Agent? Agent, IReadOnlyList<AgentSubnet> Subnets);

public sealed class GetDeviceHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetDeviceQuery, DeviceDetails?>
{
    public async ValueTask<DeviceDetails?> Handle(GetDeviceQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == q.Id, ct);
        if (device is null) return null;
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.DeviceId == device.Id, ct);
        var subnets = agent is null
            ? []
            : await db.AgentAddresses.AsNoTracking().Where(x => x.AgentId == agent.Id)
                .Select(x => new AgentSubnet(x.SubnetId, x.Subnet!.Cidr, x.Address)).ToListAsync(ct);
        return new DeviceDetails(device, agent, subnets);
    }
}

/// <summary>The agents grid: online means a check-in within three of its intervals.</summary>
public sealed record ListAgentsQuery(int Page = 0, int PageSize = 25, string? Search = null, bool? Online = null, bool IncludeRevoked = true)
    : IQuery<Paged<AgentRow>>;

public sealed record AgentRow(
    Guid Id, Guid DeviceId, string HostName, string Model, string AgentVersion, DateTimeOffset EnrolledAt, DateTimeOffset? LastCheckInAt,
    int CheckInIntervalSeconds, DateTimeOffset? RevokedAt, int? InstalledSettingRevisionNumber, string? RepresentativeSubnet,
    Contracts.Agents.RepresentativeState? RepresentativeState, AgentPreference Preference)
{
    public bool IsOnlineAt(DateTimeOffset now) =>
        RevokedAt is null && LastCheckInAt is { } last && now - last <= TimeSpan.FromSeconds(3 * Math.Max(1, CheckInIntervalSeconds));
}

public sealed class ListAgentsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : IQueryHandler<ListAgentsQuery, Paged<AgentRow>>
{
    public async ValueTask<Paged<AgentRow>> Handle(ListAgentsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agents = db.Agents.AsNoTracking();
        if (!q.IncludeRevoked) agents = agents.Where(a => a.RevokedAt == null);
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var s = q.Search.Trim();
            agents = agents.Where(a => a.Device!.HostName.Contains(s) || a.AgentVersion.StartsWith(s) || a.Device.Model.StartsWith(s));
        }
        if (q.Online is { } online)
        {
            // Online = last check-in within 3 × the agent's own interval. Intervals take few distinct values, so build
            // (interval = i AND LastCheckInAt >= now − 3i) OR … — translatable on both providers and served by the index.
            var now = clock.GetUtcNow();
            var intervals = await agents.Select(a => a.CheckInIntervalSeconds).Distinct().Take(100).ToListAsync(ct);
            var a = Expression.Parameter(typeof(Agent), "a");
            Expression<Func<Agent, bool>> active = x => x.RevokedAt == null && x.LastCheckInAt != null;
            Expression recent = Expression.Constant(false);
            foreach (var interval in intervals)
            {
                var cutoff = now.AddSeconds(-3 * Math.Max(1, interval));
                Expression<Func<Agent, bool>> one = x => x.CheckInIntervalSeconds == interval && x.LastCheckInAt >= cutoff;
                recent = Expression.OrElse(recent, Expression.Invoke(one, a));
            }
            Expression isOnline = Expression.AndAlso(Expression.Invoke(active, a), recent);
            agents = agents.Where(Expression.Lambda<Func<Agent, bool>>(online ? isOnline : Expression.Not(isOnline), a));
        }
        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await agents.CountAsync(ct);
        var items = await agents.OrderByDescending(a => a.LastCheckInAt).ThenBy(a => a.Id).Skip(Math.Max(0, q.Page) * size).Take(size)
            .Select(a => new AgentRow(a.Id, a.DeviceId, a.Device!.HostName, a.Device.Model, a.AgentVersion, a.EnrolledAt, a.LastCheckInAt,
                a.CheckInIntervalSeconds, a.RevokedAt, a.InstalledSettingRevisionNumber, a.RepresentativeSubnet, a.RepresentativeState, a.Preference))
            .ToListAsync(ct);
        return new Paged<AgentRow>(items, total, q.Page, size);
    }
}

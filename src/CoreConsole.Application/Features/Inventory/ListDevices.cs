using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Inventory;

public enum DeviceSort { HostName, Model, Os, SerialNumber, LastSeen, FirstSeen }

/// <summary>
/// The devices grid: filtered, sorted and paged on the server (indexes on host name, model, OS and last seen keep the first page
/// quick with 100,000 devices). <paramref name="SubnetId"/> filters through the agent × subnet links.
/// </summary>
public sealed record ListDevicesQuery(
    int Page = 0, int PageSize = 25, string? Search = null, Guid? SubnetId = null, string? Model = null, string? OsName = null,
    DateTimeOffset? SeenSince = null, DateTimeOffset? NotSeenSince = null,
    DeviceSort Sort = DeviceSort.HostName, bool Descending = false) : IQuery<Paged<DeviceRow>>;

public sealed record DeviceRow(
    Guid Id, string HostName, string Model, string OsName, string OsVersion, string? SerialNumber, string? PrimaryMac,
    string Ipv4Interfaces, DateTimeOffset LastSeenAt, Guid? AgentId, string? AgentVersion, bool AgentRevoked,
    int CheckInIntervalSeconds, string? RepresentativeSubnet, RepresentativeState? RepresentativeState);

public sealed class ListDevicesHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListDevicesQuery, Paged<DeviceRow>>
{
    public async ValueTask<Paged<DeviceRow>> Handle(ListDevicesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = db.Devices.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var s = q.Search.Trim();
            // Prefix matches use the indexes; a contains-match on host name catches the rest.
            devices = devices.Where(d => d.HostName.Contains(s) || d.Model.StartsWith(s) || (d.SerialNumber != null && d.SerialNumber.StartsWith(s.ToUpper()))
                                         || (d.PrimaryMac != null && d.PrimaryMac.StartsWith(s.ToUpper())) || d.Ipv4Interfaces.Contains(s));
        }
        if (q.SubnetId is { } subnetId)
            devices = devices.Where(d => db.Agents.Any(a => a.DeviceId == d.Id && a.Addresses.Any(x => x.SubnetId == subnetId)));
        if (!string.IsNullOrWhiteSpace(q.Model)) devices = devices.Where(d => d.Model == q.Model);
        if (!string.IsNullOrWhiteSpace(q.OsName)) devices = devices.Where(d => d.OsName == q.OsName);
        if (q.SeenSince is { } since) devices = devices.Where(d => d.LastSeenAt >= since);
        if (q.NotSeenSince is { } notSince) devices = devices.Where(d => d.LastSeenAt < notSince);

        devices = (q.Sort, q.Descending) switch
        {
            (DeviceSort.Model, false) => devices.OrderBy(d => d.Model).ThenBy(d => d.HostName),
            (DeviceSort.Model, true) => devices.OrderByDescending(d => d.Model).ThenBy(d => d.HostName),
            (DeviceSort.Os, false) => devices.OrderBy(d => d.OsName).ThenBy(d => d.OsVersion).ThenBy(d => d.HostName),
            (DeviceSort.Os, true) => devices.OrderByDescending(d => d.OsName).ThenByDescending(d => d.OsVersion).ThenBy(d => d.HostName),
            (DeviceSort.SerialNumber, false) => devices.OrderBy(d => d.SerialNumber),
            (DeviceSort.SerialNumber, true) => devices.OrderByDescending(d => d.SerialNumber),
            (DeviceSort.LastSeen, false) => devices.OrderBy(d => d.LastSeenAt),
            (DeviceSort.LastSeen, true) => devices.OrderByDescending(d => d.LastSeenAt),
            (DeviceSort.FirstSeen, false) => devices.OrderBy(d => d.FirstSeenAt),
            (DeviceSort.FirstSeen, true) => devices.OrderByDescending(d => d.FirstSeenAt),
            (_, true) => devices.OrderByDescending(d => d.HostName),
            _ => devices.OrderBy(d => d.HostName),
        };

        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await devices.CountAsync(ct);
        var page = devices.Skip(Math.Max(0, q.Page) * size).Take(size);
        var rows = await (from d in page
                          join a in db.Agents.AsNoTracking() on d.Id equals a.DeviceId into agents
                          from a in agents.DefaultIfEmpty()
                          select new DeviceRow(d.Id, d.HostName, d.Model, d.OsName, d.OsVersion, d.SerialNumber, d.PrimaryMac, d.Ipv4Interfaces,
                              d.LastSeenAt, a == null ? null : a.Id, a == null ? null : a.AgentVersion, a != null && a.RevokedAt != null,
                              a == null ? 60 : a.CheckInIntervalSeconds, a == null ? null : a.RepresentativeSubnet, a == null ? null : a.RepresentativeState))
            .ToListAsync(ct);
        return new Paged<DeviceRow>(rows, total, q.Page, size);
    }
}

/// <summary>Models with their device counts: the list the NetBoot model mapping offers.</summary>
public sealed record ListModelsQuery : IQuery<IReadOnlyList<ModelCount>>;
public sealed record ModelCount(string Model, int DeviceCount);

public sealed class ListModelsHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListModelsQuery, IReadOnlyList<ModelCount>>
{
    public async ValueTask<IReadOnlyList<ModelCount>> Handle(ListModelsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Devices.AsNoTracking().Where(d => d.Model != "").GroupBy(d => d.Model)
            .Select(g => new { Model = g.Key, Count = g.Count() }).OrderByDescending(m => m.Count).ThenBy(m => m.Model).ToListAsync(ct);
        return counts.Select(c => new ModelCount(c.Model, c.Count)).ToList();
    }
}

/// <summary>Facets for the grid's filter drop-downs: subnets that have agents, and OS names.</summary>
public sealed record ListInventoryFacetsQuery : IQuery<InventoryFacets>;
public sealed record SubnetChoice(Guid Id, string Cidr, string? Name);
public sealed record InventoryFacets(IReadOnlyList<SubnetChoice> Subnets, IReadOnlyList<string> OsNames);

public sealed class ListInventoryFacetsHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListInventoryFacetsQuery, InventoryFacets>
{
    public async ValueTask<InventoryFacets> Handle(ListInventoryFacetsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnets = await db.Subnets.AsNoTracking().OrderBy(s => s.NetworkNumber).ThenBy(s => s.PrefixLength)
            .Select(s => new SubnetChoice(s.Id, s.Cidr, s.Name)).Take(5000).ToListAsync(ct);
        var os = await db.Devices.AsNoTracking().Where(d => d.OsName != "").Select(d => d.OsName).Distinct().OrderBy(o => o).Take(100).ToListAsync(ct);
        return new InventoryFacets(subnets, os);
    }
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// Which catalogue version each PXE subnet's representative holds, as it last reported at check-in, next to the latest
/// published one: after a save, the admin watches the representatives catch up.
/// </summary>
public sealed record ListRepresentativeCataloguesQuery : IQuery<IReadOnlyList<RepresentativeCatalogueRow>>;

/// <param name="HeldVersion">The version the representative reports (serving, or syncing towards); null when none yet.</param>
public sealed record RepresentativeCatalogueRow(
    Guid SubnetId, string Subnet, string? Representative, RepresentativeState? State, int? HeldVersion, int? LatestVersion)
{
    public bool Current => HeldVersion is not null && HeldVersion == LatestVersion && State == RepresentativeState.Serving;
}

public sealed class ListRepresentativeCataloguesHandler(IDbContextFactory<AppDbContext> dbFactory)
    : IQueryHandler<ListRepresentativeCataloguesQuery, IReadOnlyList<RepresentativeCatalogueRow>>
{
    public async ValueTask<IReadOnlyList<RepresentativeCatalogueRow>> Handle(ListRepresentativeCataloguesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.CatalogueVersions.MaxAsync(c => (int?)c.Number, ct);
        var rows = await (
            from s in db.SubnetServices.AsNoTracking()
            where s.Service == SubnetService.Pxe && s.DesiredEnabled
            join n in db.Subnets.AsNoTracking() on s.SubnetId equals n.Id
            join a in db.Agents.AsNoTracking() on s.RepresentativeAgentId equals (Guid?)a.Id into reps
            from a in reps.DefaultIfEmpty()
            select new
            {
                s.SubnetId, n.Cidr, Host = a == null ? null : a.Device!.HostName,
                State = a == null ? null : a.RepresentativeState, Version = a == null ? null : a.RepresentativeCatalogueVersion,
            }).ToListAsync(ct);
        return rows
            .Select(r => new RepresentativeCatalogueRow(r.SubnetId, r.Cidr, r.Host, r.State,
                int.TryParse(r.Version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null, latest))
            .OrderBy(r => r.Subnet, StringComparer.Ordinal).ToList();
    }
}

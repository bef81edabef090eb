using System.Globalization;
using System.Text.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// Serves the published catalogue to representatives through the agent API: the check-in reply names the latest version,
/// and GET /api/agent/catalogue returns it (or the exact version asked for, since versions are immutable) with the
/// representative's subnet filled in.
/// </summary>
public sealed class PublishedCatalogueSource(IDbContextFactory<AppDbContext> dbFactory) : IRepresentativeCatalogueSource
{
    public const string CataloguePath = "/api/agent/catalogue";

    public async ValueTask<CatalogueReference?> GetReferenceAsync(AgentCheckInContext agent, RepresentativeRole role, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.CatalogueVersions.MaxAsync(v => (int?)v.Number, ct);
        if (latest is not { } n) return null;
        var version = n.ToString(CultureInfo.InvariantCulture);
        return new CatalogueReference { Version = version, Url = $"{CataloguePath}?version={version}" };
    }

    public async ValueTask<CatalogueDocument?> GetDocumentAsync(Guid agentId, string? version, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.CatalogueVersions.AsNoTracking();
        CatalogueVersion? row;
        if (version is not null)
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return null;
            row = await rows.FirstOrDefaultAsync(v => v.Number == number, ct);
        }
        else
        {
            row = await rows.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        }

        if (row is null) return null;
        var subnet = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.RepresentativeSubnet).FirstOrDefaultAsync(ct);
        var document = JsonSerializer.Deserialize<CatalogueDocument>(row.Json, AgentProtocol.JsonOptions)!;
        return document with { Subnet = subnet ?? "" };
    }
}

using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.AgentSettings;

public sealed record AgentSettingRow(
    Guid Id, string Name, string? Description, bool IsDefault, Guid CurrentRevisionId, int CurrentRevisionNumber, AgentSettingValues Values,
    int Version, DateTimeOffset UpdatedAt, int IntendedAgents, int AgentsOnCurrent, int DriftedAgents, int Tasks);

public sealed record AgentSettingRevisionRow(Guid Id, Guid SettingId, int Number, AgentSettingValues Values, DateTimeOffset CreatedAt, string? CreatedBy, int InstalledOn);

/// <summary>A device's agent: what it runs and what it should run.</summary>
public sealed record SettingDeploymentRow(Guid AgentId, string DeviceName, string Installed, string Intended, bool Drifted, DateTimeOffset? LastCheckInAt);

public sealed record ListAgentSettingsQuery : IQuery<IReadOnlyList<AgentSettingRow>>;
public sealed record ListAgentSettingRevisionsQuery(Guid SettingId) : IQuery<IReadOnlyList<AgentSettingRevisionRow>>;
public sealed record DiffAgentSettingRevisionsQuery(Guid FromRevisionId, Guid ToRevisionId) : IQuery<IReadOnlyList<SettingChange>?>;
public sealed record ListSettingDeploymentQuery(Guid? SettingId = null, bool DriftOnly = false, int Page = 0, int PageSize = 50) : IQuery<Paged<SettingDeploymentRow>>;
/// <summary>All revisions of live profiles, newest first per profile: the wizard's "setting" choice.</summary>
public sealed record ListSettingRevisionChoicesQuery : IQuery<IReadOnlyList<SettingRevisionChoice>>;
public sealed record SettingRevisionChoice(Guid RevisionId, Guid SettingId, string SettingName, int Number, bool IsCurrent, AgentSettingValues Values)
{
    public string Label => $"{SettingName} · revision {Number}{(IsCurrent ? " (current)" : "")}";
}

public sealed class AgentSettingQueriesHandler(IDbContextFactory<AppDbContext> dbFactory) :
    IQueryHandler<ListAgentSettingsQuery, IReadOnlyList<AgentSettingRow>>,
    IQueryHandler<ListAgentSettingRevisionsQuery, IReadOnlyList<AgentSettingRevisionRow>>,
    IQueryHandler<DiffAgentSettingRevisionsQuery, IReadOnlyList<SettingChange>?>,
    IQueryHandler<ListSettingDeploymentQuery, Paged<SettingDeploymentRow>>,
    IQueryHandler<ListSettingRevisionChoicesQuery, IReadOnlyList<SettingRevisionChoice>>
{
    public async ValueTask<IReadOnlyList<AgentSettingRow>> Handle(ListAgentSettingsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.AgentSettings.AsNoTracking().OrderByDescending(s => s.IsDefault).ThenBy(s => s.Name).ToListAsync(ct);
        var revisions = await db.AgentSettingRevisions.AsNoTracking().Where(r => settings.Select(s => s.CurrentRevisionId).Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var defaultId = settings.FirstOrDefault(s => s.IsDefault)?.Id;
        var perIntended = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null)
            .GroupBy(a => new { a.AssignedSettingId, a.InstalledSettingRevisionId }).Select(g => new { g.Key.AssignedSettingId, g.Key.InstalledSettingRevisionId, Count = g.Count() })
            .ToListAsync(ct);
        var tasks = await db.ScheduledTasks.AsNoTracking().GroupBy(t => t.SettingId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        return settings.Select(s =>
        {
            var mine = perIntended.Where(p => (p.AssignedSettingId ?? defaultId) == s.Id).ToList();
            var onCurrent = mine.Where(p => p.InstalledSettingRevisionId == s.CurrentRevisionId).Sum(p => p.Count);
            var intended = mine.Sum(p => p.Count);
            return new AgentSettingRow(s.Id, s.Name, s.Description, s.IsDefault, s.CurrentRevisionId, s.CurrentRevisionNumber,
                revisions.TryGetValue(s.CurrentRevisionId, out var r) ? r.Values : AgentSettingLimits.DefaultValues,
                s.Version, s.UpdatedAt, intended, onCurrent, intended - onCurrent, tasks.GetValueOrDefault(s.Id));
        }).ToList();
    }

    public async ValueTask<IReadOnlyList<AgentSettingRevisionRow>> Handle(ListAgentSettingRevisionsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var revisions = await db.AgentSettingRevisions.AsNoTracking().Where(r => r.SettingId == q.SettingId).OrderByDescending(r => r.Number).ToListAsync(ct);
        var ids = revisions.Select(r => (Guid?)r.Id).ToList();
        var installed = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null && ids.Contains(a.InstalledSettingRevisionId))
            .GroupBy(a => a.InstalledSettingRevisionId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return revisions.Select(r => new AgentSettingRevisionRow(r.Id, r.SettingId, r.Number, r.Values, r.CreatedAt, r.CreatedBy,
            installed.FirstOrDefault(i => i.Key == r.Id)?.Count ?? 0)).ToList();
    }

    public async ValueTask<IReadOnlyList<SettingChange>?> Handle(DiffAgentSettingRevisionsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var from = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == q.FromRevisionId, ct);
        var to = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == q.ToRevisionId, ct);
        return from is null || to is null ? null : SettingDiff.Between(from.Values, to.Values);
    }

    public async ValueTask<Paged<SettingDeploymentRow>> Handle(ListSettingDeploymentQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var defaultSetting = await db.AgentSettings.AsNoTracking().Where(s => s.IsDefault).Select(s => new { s.Id, s.CurrentRevisionId }).FirstOrDefaultAsync(ct);
        var defaultId = defaultSetting?.Id ?? Guid.Empty;
        var defaultRevision = defaultSetting?.CurrentRevisionId ?? Guid.Empty;

        // Intended revision = assigned profile's current revision, else the default's; computed in SQL so paging and the drift filter stay server-side.
        var rows = from a in db.Agents.AsNoTracking().Where(a => a.RevokedAt == null)
                   join s in db.AgentSettings.AsNoTracking() on a.AssignedSettingId equals (Guid?)s.Id into assigned
                   from s in assigned.DefaultIfEmpty()
                   select new
                   {
                       a.Id, DeviceName = a.Device!.HostName, a.InstalledSettingRevisionId, a.LastCheckInAt,
                       IntendedSettingId = s != null ? s.Id : defaultId,
                       IntendedRevisionId = s != null ? s.CurrentRevisionId : defaultRevision,
                   };
        if (q.SettingId is { } settingId) rows = rows.Where(r => r.IntendedSettingId == settingId);
        if (q.DriftOnly) rows = rows.Where(r => r.InstalledSettingRevisionId == null || r.InstalledSettingRevisionId != r.IntendedRevisionId);

        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderBy(r => r.DeviceName).ThenBy(r => r.Id).Skip(Math.Max(0, q.Page) * size).Take(size).ToListAsync(ct);
        var labels = await RevisionLabelsAsync(db, page.SelectMany(r => new[] { r.InstalledSettingRevisionId, (Guid?)r.IntendedRevisionId }), ct);
        var items = page.Select(r => new SettingDeploymentRow(r.Id, r.DeviceName,
            r.InstalledSettingRevisionId is { } i ? labels.GetValueOrDefault(i, "an unknown revision") : "nothing reported",
            labels.GetValueOrDefault(r.IntendedRevisionId, "none"),
            r.InstalledSettingRevisionId != r.IntendedRevisionId, r.LastCheckInAt)).ToList();
        return new Paged<SettingDeploymentRow>(items, total, q.Page, size);
    }

    public async ValueTask<IReadOnlyList<SettingRevisionChoice>> Handle(ListSettingRevisionChoicesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AgentSettingRevisions.AsNoTracking()
            .Join(db.AgentSettings.AsNoTracking(), r => r.SettingId, s => s.Id, (r, s) => new { r, s.Name, s.CurrentRevisionId })
            .ToListAsync(ct);
        return rows.OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase).ThenByDescending(x => x.r.Number)
            .Select(x => new SettingRevisionChoice(x.r.Id, x.r.SettingId, x.Name, x.r.Number, x.r.Id == x.CurrentRevisionId, x.r.Values)).ToList();
    }

    private static async Task<Dictionary<Guid, string>> RevisionLabelsAsync(AppDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var list = ids.OfType<Guid>().Distinct().ToList();
        return await db.AgentSettingRevisions.AsNoTracking().Where(r => list.Contains(r.Id))
            .Join(db.AgentSettings.AsNoTracking(), r => r.SettingId, s => s.Id, (r, s) => new { r.Id, s.Name, r.Number })
            .ToDictionaryAsync(x => x.Id, x => $"{x.Name} r{x.Number}", ct);
    }
}

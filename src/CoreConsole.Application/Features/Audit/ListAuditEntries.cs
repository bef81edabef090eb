using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Audit;

/// <summary>The audit log, filtered and paged on the server.</summary>
public sealed record ListAuditEntriesQuery(
    int Page = 0, int PageSize = 25, string? User = null, string? Action = null, string? EntityType = null,
    string? Search = null, DateTimeOffset? From = null, DateTimeOffset? To = null) : IQuery<Paged<AuditEntry>>;

public sealed class ListAuditEntriesHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListAuditEntriesQuery, Paged<AuditEntry>>
{
    public async ValueTask<Paged<AuditEntry>> Handle(ListAuditEntriesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.User)) rows = rows.Where(a => a.UserName.Contains(q.User));
        if (!string.IsNullOrWhiteSpace(q.Action)) rows = rows.Where(a => a.Action == q.Action);
        if (!string.IsNullOrWhiteSpace(q.EntityType)) rows = rows.Where(a => a.EntityType == q.EntityType);
        if (!string.IsNullOrWhiteSpace(q.Search))
            rows = rows.Where(a => (a.Summary != null && a.Summary.Contains(q.Search)) || (a.EntityId != null && a.EntityId.Contains(q.Search))
                                   || (a.After != null && a.After.Contains(q.Search)));
        if (q.From is { } from) rows = rows.Where(a => a.At >= from);
        if (q.To is { } to) rows = rows.Where(a => a.At <= to);

        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await rows.CountAsync(ct);
        var items = await rows.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(Math.Max(0, q.Page) * size).Take(size).ToListAsync(ct);
        return new Paged<AuditEntry>(items, total, q.Page, size);
    }
}

/// <summary>Distinct actions and entity types, for the filter drop-downs.</summary>
public sealed record ListAuditFacetsQuery : IQuery<AuditFacets>;
public sealed record AuditFacets(IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes);

public sealed class ListAuditFacetsHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListAuditFacetsQuery, AuditFacets>
{
    public async ValueTask<AuditFacets> Handle(ListAuditFacetsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var actions = await db.AuditEntries.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        var types = await db.AuditEntries.Select(a => a.EntityType).Distinct().OrderBy(a => a).ToListAsync(ct);
        return new AuditFacets(actions, types);
    }
}

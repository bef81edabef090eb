using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Jobs;

/// <summary>Background work as the database records it (the truth; Hangfire's dashboard shows only execution).</summary>
public sealed record ListWorkItemsQuery(int Page = 0, int PageSize = 25, WorkItemState? State = null) : IQuery<Paged<WorkItem>>;

public sealed class ListWorkItemsHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListWorkItemsQuery, Paged<WorkItem>>
{
    public async ValueTask<Paged<WorkItem>> Handle(ListWorkItemsQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.WorkItems.AsNoTracking();
        if (q.State is { } s) rows = rows.Where(w => w.State == s);
        var size = PagingExtensions.ClampPageSize(q.PageSize);
        var total = await rows.CountAsync(ct);
        var items = await rows.OrderByDescending(w => w.CreatedAt).Skip(Math.Max(0, q.Page) * size).Take(size).ToListAsync(ct);
        return new Paged<WorkItem>(items, total, q.Page, size);
    }
}

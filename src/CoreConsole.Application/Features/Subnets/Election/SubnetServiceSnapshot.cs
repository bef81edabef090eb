using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>
/// A view, at most a second old, of the PXE service rows that are active (enabled, or still held by a representative), so
/// the check-in of an agent with nothing to decide costs no query. Only a filter: every decision re-reads its row. This
/// process's own lease writes invalidate it at once; another console process's are seen within <see cref="MaxAge"/>, which
/// the sweep covers as well.
/// </summary>
public sealed class SubnetServiceSnapshot(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public sealed record Row(Guid Id, Guid SubnetId, Guid? RepresentativeAgentId, bool DesiredEnabled, DateTimeOffset? LeaseExpiresAt,
        string? HandoverReason, string UnresponsiveAgents);

    public sealed class View(IReadOnlyList<Row> rows)
    {
        public ILookup<Guid, Row> BySubnet { get; } = rows.ToLookup(r => r.SubnetId);
        public IReadOnlySet<Guid> Representatives { get; } = rows.Where(r => r.RepresentativeAgentId is not null).Select(r => r.RepresentativeAgentId!.Value).ToHashSet();
    }

    private readonly SemaphoreSlim _loading = new(1, 1);
    private sealed record Entry(View View, long At);
    private volatile Entry? _current;

    public async ValueTask<View> GetAsync(CancellationToken ct)
    {
        if (_current is { } fresh && clock.GetElapsedTime(fresh.At) < MaxAge) return fresh.View;
        await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } loaded && clock.GetElapsedTime(loaded.At) < MaxAge) return loaded.View; // another caller just did
            var started = clock.GetTimestamp();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.SubnetServices.AsNoTracking()
                .Where(s => s.Service == SubnetService.Pxe && (s.DesiredEnabled || s.RepresentativeAgentId != null))
                .Select(s => new Row(s.Id, s.SubnetId, s.RepresentativeAgentId, s.DesiredEnabled, s.LeaseExpiresAt, s.HandoverReason, s.UnresponsiveAgents))
                .ToListAsync(ct);
            var view = new View(rows);
            _current = new Entry(view, started);
            return view;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Invalidate() => _current = null;
}

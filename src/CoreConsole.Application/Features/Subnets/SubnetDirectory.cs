using System.Collections.Concurrent;
using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Subnets;

/// <summary>
/// CIDR → Subnet id, creating Discovered subnets on first sight. Cached because every agent's addresses resolve through it;
/// creation is serialised in-process and a unique-index race with another writer is resolved by re-reading.
/// </summary>
public sealed class SubnetDirectory(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Guid> _ids = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _create = new(1, 1);

    public async ValueTask<Guid> EnsureAsync(Ipv4Network network, CancellationToken ct)
    {
        var cidr = network.Cidr;
        if (_ids.TryGetValue(cidr, out var id)) return id;
        await _create.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.Subnets.AsNoTracking().Where(s => s.Cidr == cidr).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
            if (existing is { } found) return _ids[cidr] = found;
            var subnet = new Subnet
            {
                Id = Guid.NewGuid(), Cidr = cidr, NetworkAddress = network.NetworkAddress, NetworkNumber = network.Network,
                PrefixLength = network.PrefixLength, Source = SubnetSource.Discovered, CreatedAt = clock.GetUtcNow(),
            };
            db.Subnets.Add(subnet);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another writer (another core instance, or the subnets page) created it first.
                await using var again = await dbFactory.CreateDbContextAsync(ct);
                return _ids[cidr] = await again.Subnets.AsNoTracking().Where(s => s.Cidr == cidr).Select(s => s.Id).FirstAsync(ct);
            }
            return _ids[cidr] = subnet.Id;
        }
        finally
        {
            _create.Release();
        }
    }

    /// <summary>Drop cached ids (call after deleting or renumbering subnets).</summary>
    public void Forget() => _ids.Clear();
}

using System.Collections.Concurrent;
using System.Diagnostics;
using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.Agents;

/// <summary>
/// Coalesces heartbeats: a check-in only records "agent X was here at T" in memory; once a second the batch is written with
/// two set-based UPDATEs (Agents.LastCheckInAt, Devices.LastSeenAt), so 5,000 check-ins/s cost two statements per second
/// instead of 5,000 transactions. Last-seen times are therefore up to ~1 s behind, far below the 3 × interval online rule.
/// </summary>
public sealed class HeartbeatBuffer
{
    private ConcurrentDictionary<Guid, (Guid DeviceId, DateTimeOffset At)> _pending = new();

    public void Record(Guid agentId, Guid deviceId, DateTimeOffset at) => _pending[agentId] = (deviceId, at);

    public int PendingCount => _pending.Count;

    internal ConcurrentDictionary<Guid, (Guid DeviceId, DateTimeOffset At)> Swap() =>
        Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, (Guid, DateTimeOffset)>());
}

/// <summary>Writes <see cref="HeartbeatBuffer"/> batches every second and once more at shutdown.</summary>
public sealed class HeartbeatFlusher(HeartbeatBuffer buffer, IDbContextFactory<AppDbContext> dbFactory, WriteGate writeGate, ILogger<HeartbeatFlusher> logger) : BackgroundService
{
    private const int ChunkSize = 500;
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushSafelyAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Heartbeat flush failed; the next check-ins will record them again");
        }
    }

    /// <summary>Writes what is buffered now; returns the number of agents written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var batch = buffer.Swap();
        if (batch.IsEmpty) return 0;
        var started = Stopwatch.GetTimestamp();
        // One timestamp per chunk (the latest): every heartbeat in it is at most one flush period older.
        var rows = batch.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            var at = chunk.Max(r => r.Value.At);
            var agentIds = chunk.Select(r => r.Key).ToArray();
            var deviceIds = chunk.Select(r => r.Value.DeviceId).ToArray();
            using var writing = await writeGate.EnterAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Agents.Where(a => agentIds.Contains(a.Id) && (a.LastCheckInAt == null || a.LastCheckInAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastCheckInAt, at), ct);
            await db.Devices.Where(d => deviceIds.Contains(d.Id) && d.LastSeenAt < at)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, at), ct);
            await tx.CommitAsync(ct);
        }
        logger.LogDebug("Flushed {Count} heartbeats in {Ms:F1} ms", rows.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return rows.Length;
    }
}

using System.Threading.Channels;
using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>One thing that happened to one target, to be written.</summary>
public sealed record TargetUpdate(Guid TargetId, TargetEvent Event, DateTimeOffset At, string? Message = null, int? Attempts = null,
    DateTimeOffset? NextAttemptAt = null);

/// <summary>
/// Writes target updates in batches (one transaction per batch), so ten thousand pushes cost a few dozen commits instead of
/// twenty thousand. Each update goes through <see cref="TargetStateMachine"/>: one the machine refuses (a late reply for a
/// cancelled target) changes nothing. A target that reaches Succeeded also records the revision as installed on its agent.
/// </summary>
public sealed class TargetUpdateWriter : IAsyncDisposable
{
    private const int MaxBatch = 1000;
    private readonly Channel<TargetUpdate> _updates = Channel.CreateUnbounded<TargetUpdate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly ScheduledTask _task;
    private readonly Inventory.AgentStateCache? _agentCache;
    private readonly WriteGate? _writeGate;
    private readonly Task _loop;

    public TargetUpdateWriter(IDbContextFactory<AppDbContext> dbFactory, ScheduledTask task, Inventory.AgentStateCache? agentCache, WriteGate? writeGate)
    {
        _writeGate = writeGate;
        _dbFactory = dbFactory;
        _task = task;
        _agentCache = agentCache;
        _loop = Task.Run(LoopAsync);
    }

    public void Post(TargetUpdate update) => _updates.Writer.TryWrite(update);

    /// <summary>Writes everything posted so far and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _updates.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        var batch = new List<TargetUpdate>(MaxBatch);
        while (await _updates.Reader.WaitToReadAsync())
        {
            await Task.Delay(50); // let a batch gather
            while (batch.Count < MaxBatch && _updates.Reader.TryRead(out var u)) batch.Add(u);
            await ApplyAsync(_dbFactory, _task, batch, _agentCache, _writeGate, CancellationToken.None);
            batch.Clear();
        }
    }

    /// <summary>Applies updates in order; returns how many changed a target.</summary>
    public static async Task<int> ApplyAsync(IDbContextFactory<AppDbContext> dbFactory, ScheduledTask task, IReadOnlyList<TargetUpdate> updates,
        Inventory.AgentStateCache? agentCache, WriteGate? writeGate, CancellationToken ct)
    {
        if (updates.Count == 0) return 0;
        // Queue behind other in-process SQLite writers (check-ins) instead of colliding with them in the busy handler.
        using var gate = writeGate is null ? default : await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = updates.Select(u => u.TargetId).Distinct().ToList();
        var rows = await db.TaskTargetResults.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var applied = new Dictionary<Guid, TaskTargetResult>();
        var changed = 0;
        foreach (var u in updates)
        {
            if (!rows.TryGetValue(u.TargetId, out var row)) continue;
            if (TargetStateMachine.Next(row.State, u.Event, task.Delivery) is not { } next) continue;
            Apply(row, next, u);
            if (next == TargetState.Succeeded) applied[row.AgentId] = row;
            changed++;
        }
        if (applied.Count > 0) await RecordInstalledAsync(db, task, applied.Keys.ToList(), ct);
        await db.SaveChangesAsync(ct);
        // The check-in path caches the assigned setting and state hash; make it read the new ones.
        foreach (var agentId in applied.Keys) agentCache?.Invalidate(agentId);
        return changed;
    }

    internal static void Apply(TaskTargetResult row, TargetState next, TargetUpdate u)
    {
        row.State = next;
        row.UpdatedAt = u.At;
        if (u.Attempts is { } attempts) row.Attempts = attempts;
        if (next == TargetState.Active) row.StartedAt ??= u.At;
        row.NextAttemptAt = next == TargetState.FailedRetrying ? u.NextAttemptAt : null;
        if (u.Message is not null) row.LastError = u.Message.Length > 1024 ? u.Message[..1024] : u.Message;
        if (next == TargetState.Succeeded) row.LastError = null;
        if (TargetStateMachine.IsTerminal(next)) row.FinishedAt = u.At;
        else if (next == TargetState.Pending) row.FinishedAt = null;
    }

    /// <summary>
    /// The agent now runs the task's revision: write it to the agent's installed columns at once (the election reads them)
    /// and make the task's profile the agent's assigned one, so its next check-in does not "restore" the old desired revision.
    /// </summary>
    internal static async Task RecordInstalledAsync(AppDbContext db, ScheduledTask task, IReadOnlyList<Guid> agentIds, CancellationToken ct)
    {
        var revision = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == task.SettingRevisionId, ct);
        if (revision is null) return;
        var agents = await db.Agents.Where(a => agentIds.Contains(a.Id)).ToListAsync(ct);
        foreach (var a in agents)
        {
            a.InstalledSettingRevisionId = revision.Id;
            a.InstalledSettingRevisionNumber = revision.Number;
            a.EnableSubnetServices = revision.EnableSubnetServices;
            a.EnablePxe = revision.EnablePxe;
            a.CheckInIntervalSeconds = revision.CheckInIntervalSeconds;
            a.PolicyIntervalSeconds = revision.PolicyIntervalSeconds;
            a.AssignedSettingId = revision.SettingId;
            a.StateHash = null; // the next check-in rewrites what the agent itself reports
        }
    }
}

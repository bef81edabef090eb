using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>
/// The agent API's view of tasks: what an agent should take at its policy poll (its targets Waiting for policy), and what
/// happens when it reports a result. Results are idempotent by workId (= <see cref="TaskTargetResult.Id"/>): a repeat after the
/// agent's crash changes nothing.
/// </summary>
public sealed class AgentTaskWork(IDbContextFactory<AppDbContext> dbFactory, Inventory.AgentStateCache agentCache, WriteGate writeGate, TimeProvider clock, ILogger<AgentTaskWork> logger)
    : Agents.IAgentPolicySource, Agents.IAgentWorkResults
{
    public async ValueTask<IReadOnlyList<PolicyWorkItem>> GetPendingAsync(Guid agentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TaskTargetResults.AsNoTracking()
            .Where(r => r.AgentId == agentId && r.State == TargetState.WaitingForPolicy)
            .Join(db.ScheduledTasks.AsNoTracking().Where(t => t.State != ScheduledTaskState.Cancelled), r => r.TaskId, t => t.Id,
                (r, t) => new { r.Id, r.TaskId, t.Name, t.Portal, r.SettingRevisionId, r.CreatedAt })
            .Join(db.AgentSettingRevisions.AsNoTracking(), x => x.SettingRevisionId, v => v.Id, (x, v) => new { x, v })
            .OrderBy(p => p.x.CreatedAt)
            .ToListAsync(ct);
        return rows.Select(p => new PolicyWorkItem
        {
            WorkId = p.x.Id, TaskId = p.x.TaskId, Kind = WorkKind.ChangeSettings, Portal = p.x.Portal, Title = p.x.Name,
            SettingRevision = p.v.ToContract(),
        }).ToList();
    }

    public async ValueTask<int> CountPendingAsync(Guid agentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TaskTargetResults.CountAsync(r => r.AgentId == agentId && r.State == TargetState.WaitingForPolicy, ct);
    }

    /// <summary>Records an agent's result. False when the workId is not this agent's (the caller answers 404); true otherwise, repeats included.</summary>
    public async ValueTask<bool> RecordAsync(Guid agentId, WorkResult result, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.TaskTargetResults.AsNoTracking().FirstOrDefaultAsync(r => r.Id == result.WorkId, ct);
        if (row is null || row.AgentId != agentId) return false;
        var task = await db.ScheduledTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == row.TaskId, ct);
        if (task is null) return false;

        var succeeded = result.Succeeded && (result.AppliedRevisionId is null || result.AppliedRevisionId == row.SettingRevisionId);
        var message = result.Succeeded && !succeeded
            ? $"The agent reports revision {result.AppliedRevisionId} installed, not the task's."
            : result.Message;
        var changed = await TargetUpdateWriter.ApplyAsync(dbFactory, task,
            [new TargetUpdate(row.Id, succeeded ? TargetEvent.Applied : TargetEvent.Rejected, clock.GetUtcNow(), message)], agentCache, writeGate, ct);
        if (changed > 0)
        {
            logger.LogInformation("Agent {AgentId} reported work {WorkId}: {Outcome}", agentId, result.WorkId, succeeded ? "applied" : "failed");
            await TaskProgress.RefreshStateAsync(dbFactory, task.Id, clock, ct);
        }
        return true;
    }
}

using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Agents;

/// <summary>
/// Default <see cref="IAgentWorkResults"/> until the tasks feature owns work items: accepts every result and records it in the
/// audit log (so nothing an agent reports is lost), idempotently per (agent, work id).
/// </summary>
public sealed class AuditedWorkResults(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : IAgentWorkResults
{
    public async ValueTask<bool> RecordAsync(Guid agentId, WorkResult result, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = $"{agentId:D}/{result.WorkId:D}";
        if (await db.AuditEntries.AnyAsync(a => a.EntityType == "AgentWorkResult" && a.EntityId == key, ct)) return true;
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), UserName = "system", Action = "RecordWorkResult", EntityType = "AgentWorkResult", EntityId = key,
            After = AuditTrail.Serialize(result),
            Summary = $"Agent {agentId} reported work {result.WorkId} {(result.Succeeded ? "succeeded" : "failed")}{(result.Message is null ? "" : ": " + (result.Message.Length > 200 ? result.Message[..200] : result.Message))}",
        });
        await db.SaveChangesAsync(ct);
        return true;
    }
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.AgentSettings;

/// <summary>
/// What an agent should run: the current revision of its assigned profile, else of the default profile. The check-in reply
/// carries it; the agent installs it when its id differs from what it has.
/// </summary>
public sealed class DesiredSettings(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<SettingRevision?> GetDesiredAsync(Guid agentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assigned = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.AssignedSettingId).FirstOrDefaultAsync(ct);
        var revisionId = assigned is { } settingId
            ? await db.AgentSettings.AsNoTracking().Where(s => s.Id == settingId).Select(s => (Guid?)s.CurrentRevisionId).FirstOrDefaultAsync(ct)
            : null;
        revisionId ??= await db.AgentSettings.AsNoTracking().Where(s => s.IsDefault).Select(s => (Guid?)s.CurrentRevisionId).FirstOrDefaultAsync(ct);
        if (revisionId is null) return null;
        var revision = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == revisionId, ct);
        return revision?.ToContract();
    }
}

/// <summary>Why a profile cannot be deleted, or null when nothing uses it.</summary>
internal static class AgentSettingUsage
{
    public static async Task<string?> DescribeAsync(AppDbContext db, Guid settingId, CancellationToken ct)
    {
        var assigned = await db.Agents.CountAsync(a => a.AssignedSettingId == settingId, ct);
        var revisionIds = db.AgentSettingRevisions.Where(r => r.SettingId == settingId).Select(r => r.Id);
        var installed = await db.Agents.CountAsync(a => a.InstalledSettingRevisionId != null && revisionIds.Contains(a.InstalledSettingRevisionId.Value), ct);
        var tasks = await db.ScheduledTasks.CountAsync(t => t.SettingId == settingId, ct);
        var parts = new List<string>();
        if (assigned > 0) parts.Add($"{assigned} agent(s) assigned to it");
        if (installed > 0) parts.Add($"{installed} agent(s) running one of its revisions");
        if (tasks > 0) parts.Add($"{tasks} task(s)");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}

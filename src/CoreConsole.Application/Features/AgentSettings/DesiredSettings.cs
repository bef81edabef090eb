using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.AgentSettings;

/// <summary>
/// What an agent should run: the current revision of its assigned profile, else of the default profile. The check-in reply
/// carries it; the agent installs it when its id differs from what it has.
/// </summary>
public sealed class DesiredSettings(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : Agents.IDesiredSettingsSource
{
    /// <summary>Profiles change rarely and check-ins are many: answers are cached this long per assigned profile.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (SettingRevision? Revision, long At)> _cache = new();

    public async ValueTask<SettingRevision?> GetDesiredAsync(Agents.AgentCheckInContext agent, CheckInRequest report, CancellationToken ct)
    {
        var revision = await CurrentForAsync(agent.AssignedSettingId, ct);
        // A task's push is answered by the agent before the core has recorded it (and re-assigned the agent's profile):
        // an agent reporting the revision its latest task gave it keeps that task's profile instead of being sent back
        // to the old one, which would flap its SESS/PXE switches and so its election.
        if (revision is not null && report.InstalledSettingRevisionId is { } installed && installed != revision.Id
            && await ProfileOfLatestTaskAsync(agent.AgentId, installed, ct) is { } taskProfile && taskProfile != agent.AssignedSettingId)
            return await CurrentForAsync(taskProfile, ct);
        return revision;
    }

    private async ValueTask<SettingRevision?> CurrentForAsync(Guid? settingId, CancellationToken ct)
    {
        var key = settingId ?? Guid.Empty;
        if (_cache.TryGetValue(key, out var hit) && clock.GetElapsedTime(hit.At) < CacheLifetime) return hit.Revision;
        var revision = await ForAssignedAsync(settingId, ct);
        _cache[key] = (revision, clock.GetTimestamp());
        return revision;
    }

    /// <summary>The profile of <paramref name="installed"/> when the agent's latest running or succeeded task target is that revision.</summary>
    private async Task<Guid?> ProfileOfLatestTaskAsync(Guid agentId, Guid installed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await (
                from t in db.TaskTargetResults.AsNoTracking()
                join r in db.AgentSettingRevisions.AsNoTracking() on t.SettingRevisionId equals r.Id
                where t.AgentId == agentId && (t.State == ScheduledTasks.TargetState.Active || t.State == ScheduledTasks.TargetState.Succeeded)
                orderby t.CreatedAt descending
                select new { t.SettingRevisionId, r.SettingId })
            .FirstOrDefaultAsync(ct);
        return latest?.SettingRevisionId == installed ? latest.SettingId : null;
    }

    /// <summary>Forget cached answers (after a profile is saved or the default changes).</summary>
    public void Invalidate() => _cache.Clear();

    /// <summary>The current revision of <paramref name="assigned"/> (if it still exists), else of the default profile.</summary>
    public async Task<SettingRevision?> ForAssignedAsync(Guid? assigned, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
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

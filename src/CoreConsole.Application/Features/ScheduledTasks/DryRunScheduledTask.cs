using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>What a task would do if it started now, without changing anything.</summary>
public sealed record DryRunScheduledTaskQuery(Guid SettingRevisionId, IReadOnlyList<TargetRef> Targets) : IQuery<DryRunReport>;

/// <summary>One device and what would change on it (installed → new).</summary>
public sealed record DryRunDevice(Guid AgentId, string DeviceName, string Installed, bool Online, IReadOnlyList<SettingChange> Changes);

/// <summary>A subnet where PXE would have no electable candidate after the task.</summary>
public sealed record SubnetPxeImpact(Guid SubnetId, string Cidr, string? Name, int CandidatesBefore, int CandidatesAfter);

public sealed record DryRunReport(
    string? RevisionLabel,
    string? Problem,
    int DeviceCount,
    int UnchangedCount,
    IReadOnlyList<DryRunDevice> Devices,
    IReadOnlyList<UnresolvedTarget> Unresolved,
    IReadOnlyList<SubnetPxeImpact> SubnetsLeftWithoutPxe);

public sealed class DryRunScheduledTaskHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : IQueryHandler<DryRunScheduledTaskQuery, DryRunReport>
{
    /// <summary>The report lists at most this many devices (the counts cover all).</summary>
    public const int MaxListedDevices = 500;

    public async ValueTask<DryRunReport> Handle(DryRunScheduledTaskQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var revision = await db.AgentSettingRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == q.SettingRevisionId, ct);
        var resolution = await TargetResolver.ResolveAsync(db, q.Targets, ct);
        if (revision is null)
            return new DryRunReport(null, "The chosen setting was deleted.", resolution.Devices.Count, 0, [], resolution.Unresolved, []);
        var settingName = await db.AgentSettings.AsNoTracking().Where(s => s.Id == revision.SettingId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var after = revision.Values;
        var now = clock.GetUtcNow();

        var targetIds = resolution.Devices.Select(d => d.AgentId).ToHashSet();
        var targetList = targetIds.ToList();
        var agents = await db.Agents.AsNoTracking().Where(a => targetList.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var revisionLabels = await RevisionLabelsAsync(db, agents.Values.Select(a => a.InstalledSettingRevisionId), ct);

        var devices = new List<DryRunDevice>();
        var unchanged = 0;
        foreach (var d in resolution.Devices)
        {
            if (!agents.TryGetValue(d.AgentId, out var agent)) continue;
            var installed = agent.InstalledSettingRevisionId is null ? null : InstalledValues(agent);
            var changes = SettingDiff.Between(installed, after);
            if (changes.Count == 0 && agent.InstalledSettingRevisionId == revision.Id) unchanged++;
            if (devices.Count < MaxListedDevices)
                devices.Add(new DryRunDevice(d.AgentId, d.DeviceName,
                    agent.InstalledSettingRevisionId is { } rid ? revisionLabels.GetValueOrDefault(rid, "an unknown revision") : "nothing reported yet",
                    agent.IsOnline(now), changes));
        }

        // PXE candidates per subnet the targets sit on: online agents whose installed setting has SESS and PXE on, before and after.
        var subnetIds = await db.AgentAddresses.AsNoTracking().Where(x => targetList.Contains(x.AgentId)).Select(x => x.SubnetId).Distinct().ToListAsync(ct);
        var members = await db.AgentAddresses.AsNoTracking().Where(x => subnetIds.Contains(x.SubnetId))
            .Join(db.Agents.AsNoTracking().Where(a => a.RevokedAt == null), x => x.AgentId, a => a.Id,
                (x, a) => new { x.SubnetId, a.Id, a.LastCheckInAt, a.CheckInIntervalSeconds, a.EnableSubnetServices, a.EnablePxe })
            .ToListAsync(ct);
        var subnets = await db.Subnets.AsNoTracking().Where(s => subnetIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var losing = new List<SubnetPxeImpact>();
        foreach (var group in members.GroupBy(m => m.SubnetId))
        {
            var online = group.Where(m => m.LastCheckInAt is { } last && now - last <= TimeSpan.FromSeconds(3 * Math.Max(1, m.CheckInIntervalSeconds))).ToList();
            var before = online.Count(m => m.EnableSubnetServices && m.EnablePxe);
            var afterCount = online.Count(m => targetIds.Contains(m.Id) ? SettingDiff.AllowsPxe(after) : m.EnableSubnetServices && m.EnablePxe);
            if (before > 0 && afterCount == 0 && subnets.TryGetValue(group.Key, out var subnet))
                losing.Add(new SubnetPxeImpact(subnet.Id, subnet.Cidr, subnet.Name, before, afterCount));
        }

        return new DryRunReport($"{settingName ?? "(deleted)"} revision {revision.Number}", null, resolution.Devices.Count, unchanged, devices,
            resolution.Unresolved, losing.OrderBy(s => s.Cidr).ToList());
    }

    private static AgentSettingValues InstalledValues(Inventory.Agent a) => new()
    {
        EnableSubnetServices = a.EnableSubnetServices, EnablePxe = a.EnablePxe,
        CheckInIntervalSeconds = a.CheckInIntervalSeconds, PolicyIntervalSeconds = a.PolicyIntervalSeconds,
    };

    internal static async Task<Dictionary<Guid, string>> RevisionLabelsAsync(AppDbContext db, IEnumerable<Guid?> revisionIds, CancellationToken ct)
    {
        var ids = revisionIds.OfType<Guid>().Distinct().ToList();
        return await db.AgentSettingRevisions.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Join(db.AgentSettings.AsNoTracking(), r => r.SettingId, s => s.Id, (r, s) => new { r.Id, s.Name, r.Number })
            .ToDictionaryAsync(x => x.Id, x => $"{x.Name} r{x.Number}", ct);
    }
}

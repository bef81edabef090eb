using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>A target as the admin picks it in the wizard.</summary>
public sealed record TargetRef(TaskTargetKind Kind, Guid Id, string Label);

/// <summary>One device a task will work on (through its agent).</summary>
public sealed record ResolvedTarget(Guid AgentId, Guid DeviceId, string DeviceName);

/// <summary>A chosen target that contributes no device: it was deleted, or it matches nothing enrolled.</summary>
public sealed record UnresolvedTarget(TargetRef Target, string Reason);

public sealed record TargetResolution(IReadOnlyList<ResolvedTarget> Devices, IReadOnlyList<UnresolvedTarget> Unresolved);

/// <summary>
/// Turns devices, subnets and saved queries into the de-duplicated set of enrolled, non-revoked agents they mean right now.
/// Run when an occurrence starts (and by the dry run), never when the task is saved.
/// </summary>
public static class TargetResolver
{
    public static async Task<TargetResolution> ResolveAsync(AppDbContext db, IEnumerable<TargetRef> targets, CancellationToken ct)
    {
        var byAgent = new Dictionary<Guid, ResolvedTarget>();
        var unresolved = new List<UnresolvedTarget>();
        var agents = db.Agents.AsNoTracking().Where(a => a.RevokedAt == null);

        foreach (var target in targets.DistinctBy(t => (t.Kind, t.Id)))
        {
            List<ResolvedTarget> found;
            switch (target.Kind)
            {
                case TaskTargetKind.Device:
                    if (!await db.Devices.AnyAsync(d => d.Id == target.Id, ct)) { unresolved.Add(new(target, "The device no longer exists.")); continue; }
                    found = await agents.Where(a => a.DeviceId == target.Id)
                        .Select(a => new ResolvedTarget(a.Id, a.DeviceId, a.Device!.HostName)).ToListAsync(ct);
                    if (found.Count == 0) { unresolved.Add(new(target, "The device has no enrolled agent.")); continue; }
                    break;

                case TaskTargetKind.Subnet:
                    if (!await db.Subnets.AnyAsync(s => s.Id == target.Id, ct)) { unresolved.Add(new(target, "The subnet no longer exists.")); continue; }
                    found = await agents.Where(a => db.AgentAddresses.Any(x => x.AgentId == a.Id && x.SubnetId == target.Id))
                        .Select(a => new ResolvedTarget(a.Id, a.DeviceId, a.Device!.HostName)).ToListAsync(ct);
                    if (found.Count == 0) { unresolved.Add(new(target, "No enrolled agent is on this subnet.")); continue; }
                    break;

                case TaskTargetKind.Query:
                    var query = await db.SavedInventoryQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Id == target.Id, ct);
                    if (query is null) { unresolved.Add(new(target, "The saved query no longer exists.")); continue; }
                    var matching = agents;
                    if (query.ModelContains is { } model) matching = matching.Where(a => a.Device!.Model.Contains(model));
                    if (query.OsContains is { } os) matching = matching.Where(a => (a.Device!.OsName + " " + a.Device.OsVersion).Contains(os));
                    if (query.SubnetId is { } subnetId) matching = matching.Where(a => db.AgentAddresses.Any(x => x.AgentId == a.Id && x.SubnetId == subnetId));
                    found = await matching.Select(a => new ResolvedTarget(a.Id, a.DeviceId, a.Device!.HostName)).ToListAsync(ct);
                    if (found.Count == 0) { unresolved.Add(new(target, "The saved query matches no enrolled device.")); continue; }
                    break;

                default:
                    unresolved.Add(new(target, "Unknown target kind."));
                    continue;
            }
            foreach (var r in found) byAgent.TryAdd(r.AgentId, r);
        }
        return new TargetResolution(byAgent.Values.OrderBy(r => r.DeviceName, StringComparer.OrdinalIgnoreCase).ToList(), unresolved);
    }
}

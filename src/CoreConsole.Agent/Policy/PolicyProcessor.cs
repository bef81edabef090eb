using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Policy;

/// <summary>
/// Turns a policy list into actions: Required items are applied at once, Recommended/Optional items become the portal's
/// offers (replacing the previous list, so withdrawn offers disappear). Items already applied are skipped.
/// </summary>
public sealed class PolicyProcessor(AgentStateStore store, SettingsApplier applier)
{
    /// <summary>Returns the outcomes of the items applied in this pass.</summary>
    public IReadOnlyList<AppliedWork> Process(PolicyResponse policy)
    {
        var applied = new List<AppliedWork>();
        var state = store.Load();
        var fresh = policy.Items.Where(i => i.Kind == WorkKind.ChangeSettings && !state.HasApplied(i.WorkId, i.SettingRevision.Id)).ToList();

        foreach (var item in fresh.Where(i => i.Portal == PortalMode.Required))
            applied.Add(applier.ApplyWork(item.WorkId, item.SettingRevision));

        var offers = fresh.Where(i => i.Portal != PortalMode.Required).ToList();
        store.Update(s => s.PortalOffers = offers.Where(o => !s.HasApplied(o.WorkId, o.SettingRevision.Id)).ToList());
        return applied;
    }
}

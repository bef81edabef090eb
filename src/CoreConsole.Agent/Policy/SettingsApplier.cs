using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Policy;

/// <summary>
/// Installs setting revisions. "Installing" means validating and persisting them; the running loop reads intervals and
/// the SESS/PXE switches from the state on every turn, so a new revision takes effect on the next turn.
/// Idempotent: a (workId, revisionId) pair is applied at most once, a repeat returns the recorded outcome.
/// </summary>
public sealed class SettingsApplier(AgentStateStore store, TimeProvider? time = null)
{
    private const int MaxRememberedWork = 1000;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _exchange = new(1, 1);

    /// <summary>
    /// Held for a whole check-in (report sent → reply applied) and around a pushed install, so a check-in that reported the
    /// old revision cannot reach the core after the push that replaced it. A push waits at most <paramref name="maxWait"/>
    /// (a check-in stuck on a slow core must not make the push time out); the returned handle releases only what it took.
    /// </summary>
    public async Task<IDisposable> HoldExchangeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var taken = await _exchange.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false);
        return new Release(taken ? _exchange : null);
    }

    private sealed class Release(SemaphoreSlim? gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;
        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    /// <summary>Applies a work item's revision and records the outcome (unreported) for the core.</summary>
    public AppliedWork ApplyWork(Guid workId, SettingRevision revision)
    {
        AppliedWork? outcome = null;
        store.Update(state =>
        {
            outcome = state.AppliedWork.Find(w => w.WorkId == workId && w.RevisionId == revision.Id);
            if (outcome is not null) return;

            var problem = Validate(revision.Settings);
            if (problem is null) Install(state, revision);
            outcome = new AppliedWork
            {
                WorkId = workId,
                RevisionId = revision.Id,
                Succeeded = problem is null,
                Message = problem ?? $"Installed setting revision {revision.Number}",
                FinishedAt = _time.GetUtcNow(),
            };
            state.AppliedWork.Add(outcome);
            state.PortalOffers.RemoveAll(o => o.WorkId == workId);
            var excess = state.AppliedWork.Count - MaxRememberedWork;
            if (excess > 0)
            {
                // Forget the oldest reported outcomes; the core does not re-offer finished work.
                var forgotten = state.AppliedWork.Where(w => w.Reported).Take(excess).ToHashSet();
                state.AppliedWork.RemoveAll(forgotten.Contains);
            }
        });
        return outcome!;
    }

    /// <summary>Installs the core's desired revision from a check-in (no work item, so no result). False if invalid.</summary>
    public bool ApplyDesired(SettingRevision revision)
    {
        var problem = Validate(revision.Settings);
        if (problem is not null) return false;
        store.Update(state =>
        {
            if (state.InstalledRevisionId != revision.Id) Install(state, revision);
        });
        return true;
    }

    /// <summary>Why the settings cannot be installed, or null when they can.</summary>
    public static string? Validate(AgentSettingValues settings) =>
        settings.CheckInIntervalSeconds is < 5 or > 86_400 ? $"Check-in interval {settings.CheckInIntervalSeconds} s is outside 5–86400 s"
        : settings.PolicyIntervalSeconds is < 5 or > 604_800 ? $"Policy interval {settings.PolicyIntervalSeconds} s is outside 5–604800 s"
        : null;

    private static void Install(AgentState state, SettingRevision revision)
    {
        state.InstalledRevisionId = revision.Id;
        state.InstalledRevisionNumber = revision.Number;
        state.InstalledSettings = revision.Settings;
        state.CheckInIntervalSeconds = revision.Settings.CheckInIntervalSeconds;
    }
}

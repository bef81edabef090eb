using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.Policy;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Running;

/// <summary>
/// The agent's heartbeat: check in, act on the reply (desired settings, role/lease, policy, results), wait the interval with
/// jitter — or back off exponentially while the core is unreachable — and wake early on a push.
/// </summary>
public sealed partial class CheckInLoop(
    AgentStateStore store,
    AgentCoreClient client,
    InventoryCollector inventory,
    SettingsApplier applier,
    PolicyProcessor policy,
    ResultReporter reporter,
    IRepresentativeService representative,
    LeaseTracker lease,
    WakeSignal wake,
    PushEndpoint pushEndpoint,
    ILogger<CheckInLoop> logger) : BackgroundService
{
    private static readonly TimeSpan ReportInstalledDelay = TimeSpan.FromSeconds(1);
    private readonly Random _random = new();
    private int _failures;
    private long _nextPolicyAtMs;
    private int _lastPendingPolicyCount;

    /// <summary>Successful check-ins since start (for tests and diagnostics).</summary>
    public int CheckInCount { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await CheckInOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                delay = Backoff.WithJitter(Backoff.DelayAfter(++_failures), _random.NextDouble());
                var error = e is AgentApiException { IsCredentialRejection: true } ? $"{e.Message} (re-enrol this agent)" : e.Message;
                LogCheckInFailed(_failures, delay.TotalSeconds, error);
                store.Update(s => s.LastCheckInError = error);
            }

            await ExpireLeaseIfDueAsync(stoppingToken);
            if (lease.Remaining is { } remaining && remaining < delay) delay = remaining;
            try
            {
                await wake.WaitAsync(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await ExpireLeaseIfDueAsync(stoppingToken);
        }
        await representative.StopAsync("agent stopping", CancellationToken.None);
        store.Update(s => s.LastRole = null); // a stopped agent serves nothing, whatever its lease said
    }

    /// <summary>One full turn; returns how long to wait before the next.</summary>
    internal async Task<TimeSpan> CheckInOnceAsync(CancellationToken cancellationToken)
    {
        AgentState state;
        long sentAtMs;
        CheckInResponse reply;
        var installedNew = false;
        using (await applier.HoldExchangeAsync(Timeout.InfiniteTimeSpan, cancellationToken))
        {
            state = store.Load();
            sentAtMs = lease.NowMilliseconds; // the lease counts from the moment we asked, not when the answer came
            reply = await client.CheckInAsync(state.Credentials, inventory.Collect(pushEndpoint.Url, state, representative.Status), cancellationToken);
            _failures = 0;
            CheckInCount++;

            if (reply.DesiredSettingRevision is { } desired && desired.Id != state.InstalledRevisionId)
            {
                if (installedNew = applier.ApplyDesired(desired)) LogInstalled(desired.Number, desired.Id);
                else logger.LogWarning("Desired setting revision {Number} is invalid and was not installed", desired.Number);
            }
        }

        await ApplyRoleAsync(reply, sentAtMs, cancellationToken);

        state = store.Update(s =>
        {
            s.LastCheckInAt = reply.CoreTime;
            s.LastCheckInError = null;
            s.LastRole = lease.Current;
            s.LastPushUrl = pushEndpoint.Url;
        });

        var policyDue = lease.NowMilliseconds >= _nextPolicyAtMs;
        var policyGrew = reply.PendingPolicyCount > 0 && reply.PendingPolicyCount != _lastPendingPolicyCount;
        _lastPendingPolicyCount = reply.PendingPolicyCount;
        if (policyDue || policyGrew)
        {
            var applied = policy.Process(await client.GetPolicyAsync(state.Credentials, cancellationToken));
            foreach (var work in applied) LogWorkApplied(work.WorkId, work.Succeeded, work.Message ?? "");
            var policyInterval = state.InstalledSettings?.PolicyIntervalSeconds ?? new AgentSettingValues().PolicyIntervalSeconds;
            _nextPolicyAtMs = lease.NowMilliseconds + policyInterval * 1000L;
        }

        await reporter.PostPendingAsync(cancellationToken);
        // A newly installed revision is reported at once (the election and the drift view read it), not a whole interval later.
        if (installedNew) return Backoff.WithJitter(ReportInstalledDelay, _random.NextDouble());
        var interval = reply.NextCheckInSeconds > 0 ? reply.NextCheckInSeconds : state.CheckInIntervalSeconds;
        return Backoff.WithJitter(TimeSpan.FromSeconds(interval), _random.NextDouble());
    }

    private async Task ApplyRoleAsync(CheckInResponse reply, long sentAtMs, CancellationToken cancellationToken)
    {
        switch (lease.OnReply(reply.Role, sentAtMs))
        {
            case LeaseChange.Acquired or LeaseChange.Renewed:
                await representative.OnLeaseAsync(lease.Current!, reply.Catalogue, cancellationToken);
                break;
            case LeaseChange.Lost:
                await representative.StopAsync("role withdrawn by the core", cancellationToken);
                break;
        }
    }

    private async Task ExpireLeaseIfDueAsync(CancellationToken cancellationToken)
    {
        if (!lease.Expire()) return;
        logger.LogWarning("Representative lease expired without renewal; stopping");
        await representative.StopAsync("lease expired", cancellationToken);
        store.Update(s => s.LastRole = null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check-in failed ({Failures} in a row), retrying in {DelaySeconds:F1} s: {Error}")]
    private partial void LogCheckInFailed(int failures, double delaySeconds, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed desired setting revision {Number} ({RevisionId})")]
    private partial void LogInstalled(int number, Guid revisionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied required work {WorkId}: succeeded={Succeeded} {Message}")]
    private partial void LogWorkApplied(Guid workId, bool succeeded, string message);
}

/// <summary>The push URL to advertise; null while there is no listener.</summary>
public sealed class PushEndpoint
{
    public string? Url { get; set; }
}

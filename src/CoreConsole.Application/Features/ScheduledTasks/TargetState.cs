namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>Where one target of a task stands. Display names match the vocabulary.</summary>
public enum TargetState
{
    Pending,
    /// <summary>A push is in flight.</summary>
    Active,
    Succeeded,
    /// <summary>The last push failed for a transient reason; another attempt is due at NextAttemptAt.</summary>
    FailedRetrying,
    /// <summary>The agent was reached and refused or failed to apply.</summary>
    Failed,
    /// <summary>The agent takes the work at its policy interval (or from its portal).</summary>
    WaitingForPolicy,
    /// <summary>A push task could not reach the agent after all attempts.</summary>
    Offline,
    Cancelled,
}

/// <summary>What can happen to a target.</summary>
public enum TargetEvent
{
    /// <summary>A push call starts.</summary>
    PushStarted,
    /// <summary>The agent installed the revision (push reply or result).</summary>
    Applied,
    /// <summary>The agent was reached and refused or failed.</summary>
    Rejected,
    /// <summary>No answer / connection error / 5xx; more attempts remain.</summary>
    TransientFailure,
    /// <summary>No answer and no attempts left.</summary>
    Unreachable,
    /// <summary>Delivery by policy (or a portal offer was pushed): the agent takes it from here.</summary>
    HandedToPolicy,
    /// <summary>A push stayed Active past the sweep timeout (the pusher died or hung).</summary>
    TimedOut,
    Cancel,
    /// <summary>An admin re-runs failed targets.</summary>
    Rerun,
}

/// <summary>
/// The rules for a target's state. Pure, so every transition is unit-tested; the executor, the result endpoint, the sweep and
/// the commands all ask here and never set a state the machine did not return.
/// </summary>
public static class TargetStateMachine
{
    public static bool IsTerminal(TargetState s) => s is TargetState.Succeeded or TargetState.Failed or TargetState.Offline or TargetState.Cancelled;

    /// <summary>Not finished and not merely waiting for the agent: the executor still owes it a push.</summary>
    public static bool NeedsDelivery(TargetState s) => s is TargetState.Pending or TargetState.Active or TargetState.FailedRetrying;

    public static readonly IReadOnlyList<TargetState> DeliveryStates = [TargetState.Pending, TargetState.Active, TargetState.FailedRetrying];
    public static readonly IReadOnlyList<TargetState> Rerunnable = [TargetState.Failed, TargetState.Offline];

    /// <summary>
    /// The state after <paramref name="e"/>, or null when the event does not apply in <paramref name="from"/> (the caller ignores it:
    /// e.g. a late push reply for a cancelled target, a duplicate result for a succeeded one).
    /// </summary>
    public static TargetState? Next(TargetState from, TargetEvent e, TaskDelivery delivery) => (from, e) switch
    {
        (TargetState.Pending or TargetState.FailedRetrying or TargetState.Active, TargetEvent.PushStarted) => TargetState.Active,
        (TargetState.Pending or TargetState.FailedRetrying or TargetState.Active, TargetEvent.HandedToPolicy) => TargetState.WaitingForPolicy,

        (TargetState.Active, TargetEvent.TransientFailure or TargetEvent.TimedOut) => TargetState.FailedRetrying,
        (TargetState.Pending or TargetState.Active or TargetState.FailedRetrying, TargetEvent.Unreachable) =>
            delivery == TaskDelivery.PolicySupportedPush ? TargetState.WaitingForPolicy : TargetState.Offline,

        // The agent's own word wins from any non-final state, including a late reply after we gave up (Offline).
        (TargetState.Pending or TargetState.Active or TargetState.FailedRetrying or TargetState.WaitingForPolicy or TargetState.Offline, TargetEvent.Applied) => TargetState.Succeeded,
        (TargetState.Failed, TargetEvent.Applied) => TargetState.Succeeded,
        (TargetState.Pending or TargetState.Active or TargetState.FailedRetrying or TargetState.WaitingForPolicy or TargetState.Offline, TargetEvent.Rejected) => TargetState.Failed,

        (TargetState.Pending or TargetState.Active or TargetState.FailedRetrying or TargetState.WaitingForPolicy, TargetEvent.Cancel) => TargetState.Cancelled,

        (TargetState.Failed or TargetState.Offline, TargetEvent.Rerun) => TargetState.Pending,
        _ => null,
    };
}

using CoreConsole.Application.Features.ScheduledTasks;
using CsCheck;

namespace CoreConsole.UnitTests.ScheduledTasks;

public sealed class TargetStateMachineTests
{
    private static readonly TaskDelivery[] Deliveries = Enum.GetValues<TaskDelivery>();
    private static readonly TargetState[] States = Enum.GetValues<TargetState>();
    private static readonly TargetEvent[] Events = Enum.GetValues<TargetEvent>();

    [Theory]
    [InlineData(TargetState.Pending)]
    [InlineData(TargetState.FailedRetrying)]
    public void A_push_starting_makes_the_target_active(TargetState from) =>
        TargetStateMachine.Next(from, TargetEvent.PushStarted, TaskDelivery.Push).ShouldBe(TargetState.Active);

    [Fact]
    public void An_applied_push_succeeds_the_target() =>
        TargetStateMachine.Next(TargetState.Active, TargetEvent.Applied, TaskDelivery.Push).ShouldBe(TargetState.Succeeded);

    [Fact]
    public void A_transient_failure_with_attempts_left_is_failed_retrying() =>
        TargetStateMachine.Next(TargetState.Active, TargetEvent.TransientFailure, TaskDelivery.Push).ShouldBe(TargetState.FailedRetrying);

    [Fact]
    public void An_unreachable_push_target_ends_offline() =>
        TargetStateMachine.Next(TargetState.Active, TargetEvent.Unreachable, TaskDelivery.Push).ShouldBe(TargetState.Offline);

    [Fact]
    public void An_unreachable_policy_supported_push_target_waits_for_policy_instead_of_failing() =>
        TargetStateMachine.Next(TargetState.Active, TargetEvent.Unreachable, TaskDelivery.PolicySupportedPush).ShouldBe(TargetState.WaitingForPolicy);

    [Fact]
    public void An_agent_without_a_push_listener_is_offline_without_ever_being_active() =>
        TargetStateMachine.Next(TargetState.Pending, TargetEvent.Unreachable, TaskDelivery.Push).ShouldBe(TargetState.Offline);

    [Fact]
    public void Policy_delivery_hands_pending_targets_to_policy() =>
        TargetStateMachine.Next(TargetState.Pending, TargetEvent.HandedToPolicy, TaskDelivery.Policy).ShouldBe(TargetState.WaitingForPolicy);

    [Theory]
    [InlineData(true, TargetState.Succeeded)]
    [InlineData(false, TargetState.Failed)]
    public void A_result_for_a_waiting_target_finishes_it(bool applied, TargetState expected) =>
        TargetStateMachine.Next(TargetState.WaitingForPolicy, applied ? TargetEvent.Applied : TargetEvent.Rejected, TaskDelivery.Policy).ShouldBe(expected);

    [Fact]
    public void A_late_success_after_giving_up_is_believed() =>
        TargetStateMachine.Next(TargetState.Offline, TargetEvent.Applied, TaskDelivery.Push).ShouldBe(TargetState.Succeeded);

    [Fact]
    public void A_stale_active_target_times_out_to_failed_retrying() =>
        TargetStateMachine.Next(TargetState.Active, TargetEvent.TimedOut, TaskDelivery.Push).ShouldBe(TargetState.FailedRetrying);

    [Theory]
    [InlineData(TargetState.Failed)]
    [InlineData(TargetState.Offline)]
    public void Rerun_puts_failed_and_offline_targets_back_to_pending(TargetState from) =>
        TargetStateMachine.Next(from, TargetEvent.Rerun, TaskDelivery.Push).ShouldBe(TargetState.Pending);

    [Theory]
    [InlineData(TargetState.Succeeded)]
    [InlineData(TargetState.Cancelled)]
    [InlineData(TargetState.Pending)]
    public void Rerun_leaves_targets_that_did_not_fail_alone(TargetState from) =>
        TargetStateMachine.Next(from, TargetEvent.Rerun, TaskDelivery.Push).ShouldBeNull();

    [Fact]
    public void A_succeeded_target_never_changes_again_so_a_revision_is_never_applied_twice()
    {
        foreach (var e in Events)
        foreach (var d in Deliveries)
            TargetStateMachine.Next(TargetState.Succeeded, e, d).ShouldBeNull($"{e} under {d}");
    }

    [Fact]
    public void A_cancelled_target_ignores_everything_including_late_replies()
    {
        foreach (var e in Events)
        foreach (var d in Deliveries)
            TargetStateMachine.Next(TargetState.Cancelled, e, d).ShouldBeNull($"{e} under {d}");
    }

    [Theory]
    [InlineData(TargetState.Pending)]
    [InlineData(TargetState.Active)]
    [InlineData(TargetState.FailedRetrying)]
    [InlineData(TargetState.WaitingForPolicy)]
    public void Cancel_stops_every_unfinished_target(TargetState from) =>
        TargetStateMachine.Next(from, TargetEvent.Cancel, TaskDelivery.Push).ShouldBe(TargetState.Cancelled);

    [Fact]
    public void Terminal_states_are_exactly_succeeded_failed_offline_and_cancelled() =>
        States.Where(TargetStateMachine.IsTerminal).ShouldBe([TargetState.Succeeded, TargetState.Failed, TargetState.Offline, TargetState.Cancelled], ignoreOrder: true);

    [Fact]
    public void Any_event_sequence_ends_in_a_state_the_machine_knows_and_active_is_never_terminal()
    {
        Gen.Select(Gen.Enum<TaskDelivery>(), Gen.Enum<TargetEvent>().Array[0, 30]).Sample((delivery, events) =>
        {
            var state = TargetState.Pending;
            foreach (var e in events)
            {
                var before = state;
                state = TargetStateMachine.Next(state, e, delivery) ?? state;
                if (before == TargetState.Succeeded) state.ShouldBe(TargetState.Succeeded);
            }
            States.ShouldContain(state);
            TargetStateMachine.IsTerminal(TargetState.Active).ShouldBeFalse();
        });
    }

    [Fact]
    public void Delivering_until_attempts_run_out_always_reaches_an_explicit_resting_state()
    {
        // The executor's loop: start, fail transiently, …, then unreachable. Whatever the delivery, the target must not stay Active.
        foreach (var d in new[] { TaskDelivery.Push, TaskDelivery.PolicySupportedPush })
        {
            var s = TargetState.Pending;
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                s = TargetStateMachine.Next(s, TargetEvent.PushStarted, d)!.Value;
                s = TargetStateMachine.Next(s, attempt < 3 ? TargetEvent.TransientFailure : TargetEvent.Unreachable, d)!.Value;
            }
            s.ShouldBe(d == TaskDelivery.Push ? TargetState.Offline : TargetState.WaitingForPolicy);
        }
    }
}

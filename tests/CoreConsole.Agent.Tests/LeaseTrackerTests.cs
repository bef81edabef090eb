using CoreConsole.Agent.Running;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests;

public sealed class LeaseTrackerTests
{
    private long _now = 1_000_000;
    private static RepresentativeRole Role(long term, int seconds = 30) =>
        new() { Subnet = "10.0.1.0/24", Term = term, LeaseSeconds = seconds, LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(seconds) };

    [Fact]
    public void The_lease_runs_from_when_the_check_in_was_sent_not_when_the_reply_arrived()
    {
        var tracker = new LeaseTracker(() => _now);
        var sentAt = _now;
        _now += 10_000; // the reply took 10 s
        tracker.OnReply(Role(1), sentAt).ShouldBe(LeaseChange.Acquired);
        tracker.Remaining.ShouldBe(TimeSpan.FromSeconds(20));
        _now += 19_999;
        tracker.Expire().ShouldBeFalse();
        _now += 1;
        tracker.Expire().ShouldBeTrue();
        tracker.Current.ShouldBeNull();
        tracker.Expire().ShouldBeFalse();
    }

    [Fact]
    public void The_same_term_renews_and_a_new_term_is_a_new_acquisition()
    {
        var tracker = new LeaseTracker(() => _now);
        tracker.OnReply(Role(1), _now).ShouldBe(LeaseChange.Acquired);
        tracker.OnReply(Role(1), _now).ShouldBe(LeaseChange.Renewed);
        tracker.OnReply(Role(2), _now).ShouldBe(LeaseChange.Acquired);
    }

    [Fact]
    public void A_reply_without_a_role_loses_the_held_one()
    {
        var tracker = new LeaseTracker(() => _now);
        tracker.OnReply(null, _now).ShouldBe(LeaseChange.None);
        tracker.OnReply(Role(1), _now);
        tracker.OnReply(null, _now).ShouldBe(LeaseChange.Lost);
        tracker.Remaining.ShouldBeNull();
    }

    [Fact]
    public void A_lease_that_lapsed_while_the_reply_was_in_transit_is_never_taken()
    {
        var tracker = new LeaseTracker(() => _now);
        var sentAt = _now;
        _now += 31_000;
        tracker.OnReply(Role(1), sentAt).ShouldBe(LeaseChange.None);
        tracker.Current.ShouldBeNull();
    }
}

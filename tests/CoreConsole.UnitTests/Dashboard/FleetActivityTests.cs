using CoreConsole.Application.Features.Dashboard;

namespace CoreConsole.UnitTests.Dashboard;

public sealed class FleetActivityTests
{
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Check_ins_are_counted_per_minute_and_the_snapshot_ends_with_the_current_minute()
    {
        var clock = new SteppingClock(Start);
        var activity = new FleetActivity(clock);
        activity.RecordCheckIn(Guid.NewGuid(), null);
        activity.RecordCheckIn(Guid.NewGuid(), null);
        clock.Now = Start.AddMinutes(2);
        activity.RecordCheckIn(Guid.NewGuid(), null);

        var minutes = activity.Snapshot();
        minutes.Count.ShouldBe(FleetActivity.Minutes);
        minutes[^1].At.ShouldBe(new DateTimeOffset(2026, 12, 3, 10, 2, 0, TimeSpan.Zero));
        minutes[^1].CheckIns.ShouldBe(1);
        minutes[^2].CheckIns.ShouldBe(0);
        minutes[^3].CheckIns.ShouldBe(2);
        minutes.Sum(m => m.CheckIns).ShouldBe(3);
    }

    [Fact]
    public void Bsdp_replies_are_the_growth_of_each_representatives_counter_and_a_restart_counts_from_zero()
    {
        var clock = new SteppingClock(Start);
        var activity = new FleetActivity(clock);
        var rep = Guid.NewGuid();
        activity.RecordCheckIn(rep, 500);   // baseline: replies before this console saw the agent are not "now"
        activity.RecordCheckIn(rep, 530);   // +30
        activity.RecordCheckIn(rep, 12);    // the responder restarted: 12 new
        activity.RecordCheckIn(rep, null);  // stopped serving: the baseline is forgotten
        activity.RecordCheckIn(rep, 7);     // a new baseline, not 7 new replies

        activity.Snapshot()[^1].BsdpReplies.ShouldBe(42);
    }

    [Fact]
    public void Minutes_older_than_an_hour_fall_out_of_the_window()
    {
        var clock = new SteppingClock(Start);
        var activity = new FleetActivity(clock);
        activity.RecordCheckIn(Guid.NewGuid(), null);
        clock.Now = Start.AddMinutes(FleetActivity.Minutes); // the same ring slot, an hour later
        activity.Snapshot().Sum(m => m.CheckIns).ShouldBe(0);
        activity.RecordCheckIn(Guid.NewGuid(), null);
        activity.Snapshot().Sum(m => m.CheckIns).ShouldBe(1);
    }
}

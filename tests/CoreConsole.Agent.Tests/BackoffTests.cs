using CoreConsole.Agent.Running;

namespace CoreConsole.Agent.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void The_delay_doubles_from_one_second_and_stops_at_sixty()
    {
        var schedule = Enumerable.Range(1, 9).Select(n => Backoff.DelayAfter(n).TotalSeconds).ToArray();
        schedule.ShouldBe([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    [Fact]
    public void No_failures_means_no_delay_and_huge_failure_counts_do_not_overflow()
    {
        Backoff.DelayAfter(0).ShouldBe(TimeSpan.Zero);
        Backoff.DelayAfter(int.MaxValue).ShouldBe(Backoff.Max);
    }

    [Theory]
    [InlineData(0.0, 48)]
    [InlineData(0.5, 60)]
    [InlineData(0.999999, 72)]
    public void Jitter_spreads_a_delay_by_at_most_twenty_percent(double random, double expectedSeconds) =>
        Backoff.WithJitter(TimeSpan.FromSeconds(60), random).TotalSeconds.ShouldBe(expectedSeconds, 0.001);
}

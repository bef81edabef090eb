using CoreConsole.Application.Common.Jobs;
using CsCheck;

namespace CoreConsole.UnitTests.Jobs;

public sealed class WorkItemRunnerBackoffTests
{
    [Fact]
    public void The_first_retry_waits_five_seconds() => WorkItemRunner.Backoff(1).ShouldBe(TimeSpan.FromSeconds(5));

    [Fact]
    public void Each_retry_waits_twice_as_long_as_the_previous_until_the_cap() =>
        Gen.Int[1, 20].Sample(attempt =>
        {
            var current = WorkItemRunner.Backoff(attempt);
            var next = WorkItemRunner.Backoff(attempt + 1);
            return next == TimeSpan.FromMinutes(5) || next == current * 2;
        });

    [Fact]
    public void Retries_never_wait_longer_than_five_minutes() =>
        Gen.Int[1, 10_000].Sample(attempt => WorkItemRunner.Backoff(attempt) <= TimeSpan.FromMinutes(5) && WorkItemRunner.Backoff(attempt) > TimeSpan.Zero);

    [Fact]
    public void Late_retries_wait_the_full_five_minutes() => WorkItemRunner.Backoff(30).ShouldBe(TimeSpan.FromMinutes(5));
}

public sealed class ConfiguredBackoffTests
{
    [Fact]
    public void The_configured_first_delay_doubles_up_to_the_configured_cap()
    {
        var options = new WorkItemRunnerOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(350) };
        Enumerable.Range(1, 4).Select(a => WorkItemRunner.Backoff(a, options).TotalMilliseconds).ShouldBe([100, 200, 350, 350]);
    }
}

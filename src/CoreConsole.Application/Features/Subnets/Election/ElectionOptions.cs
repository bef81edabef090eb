namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>
/// Election timing, bound from the "Election" configuration section. The defaults are chosen for the failover target
/// "≤ 10 s from kill -9 of the representative to the first reply from the next one":
/// worst case = <see cref="LeaseDuration"/> (killed just after a renewal) + <see cref="TakeoverGrace"/> + one
/// <see cref="SweepInterval"/> + push and check-in round trip (~0.1 s) + start serving ≈ 6 + 1 + 1 + 0.5 = 8.5 s.
/// The representative renews every <see cref="RepresentativeCheckIn"/> (±20 % agent jitter), so one lease survives two lost
/// renewals before it lapses.
/// </summary>
public sealed class ElectionOptions
{
    public const string Section = "Election";

    /// <summary>How long a grant or renewal lets the representative serve (the agent counts it from when it sent the check-in).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Check-in interval told to the representative; must be well under <see cref="LeaseDuration"/>.</summary>
    public TimeSpan RepresentativeCheckIn { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Check-in interval told to a representative that must hand over, so it confirms it stopped quickly.</summary>
    public TimeSpan HandoverCheckIn { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a lease that was taken up lapses, nobody else is granted the subnet for this long: it absorbs the agent's stop
    /// latency, clock-rate drift and clock skew between console nodes sharing the database.
    /// </summary>
    public TimeSpan TakeoverGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the background sweep looks for lapsed leases and subnets waiting for a representative.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A candidate counts as online for this many of its own check-in intervals after its last check-in …</summary>
    public double OnlineIntervals { get; set; } = 2;

    /// <summary>… plus this slack (network, jitter).</summary>
    public TimeSpan OnlineSlack { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether an agent last seen at <paramref name="lastSeenAt"/>, told to check in every <paramref name="interval"/>, is online.</summary>
    public bool IsOnline(DateTimeOffset lastSeenAt, TimeSpan interval, DateTimeOffset now) =>
        now - lastSeenAt <= interval * OnlineIntervals + OnlineSlack;
}

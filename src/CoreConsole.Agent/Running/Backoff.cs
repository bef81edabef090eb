namespace CoreConsole.Agent.Running;

/// <summary>Retry timing while the core is unreachable: 1 s doubling to a 60 s cap, and ±20 % jitter so a fleet does not retry in step.</summary>
public static class Backoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    public const double JitterFraction = 0.2;

    /// <summary>Delay before the next attempt after <paramref name="consecutiveFailures"/> failures in a row (1 → 1 s, 2 → 2 s, … capped).</summary>
    public static TimeSpan DelayAfter(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0) return TimeSpan.Zero;
        var exponent = Math.Min(consecutiveFailures - 1, 16); // 2^16 s is far past the cap; avoids overflow
        var seconds = Initial.TotalSeconds * Math.Pow(2, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }

    /// <summary>Spreads <paramref name="delay"/> by ±<see cref="JitterFraction"/>; <paramref name="random01"/> is uniform in [0, 1).</summary>
    public static TimeSpan WithJitter(TimeSpan delay, double random01) =>
        delay * (1 - JitterFraction + 2 * JitterFraction * random01);
}

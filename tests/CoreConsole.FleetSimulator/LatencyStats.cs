namespace CoreConsole.FleetSimulator;

/// <summary>Check-in latencies and failures per reporting window and overall.</summary>
internal sealed class LatencyStats
{
    private readonly Lock _gate = new();
    private List<double> _window = [];
    private readonly List<double> _all = [];
    private int _windowFailures;
    private int _allFailures;

    public void Record(TimeSpan latency)
    {
        lock (_gate) { _window.Add(latency.TotalMilliseconds); _all.Add(latency.TotalMilliseconds); }
    }

    public void Reset()
    {
        lock (_gate) { _window = []; _all.Clear(); _windowFailures = 0; _allFailures = 0; }
    }

    public void RecordFailure()
    {
        lock (_gate) { _windowFailures++; _allFailures++; }
    }

    /// <summary>Summarises and resets the current window.</summary>
    public string TakeWindow(TimeSpan length)
    {
        List<double> window;
        int failures;
        lock (_gate) { (window, _window) = (_window, []); (failures, _windowFailures) = (_windowFailures, 0); }
        return Describe(window, failures, length);
    }

    public string Total(TimeSpan length)
    {
        lock (_gate) return Describe([.. _all], _allFailures, length);
    }

    private static string Describe(List<double> samples, int failures, TimeSpan length)
    {
        samples.Sort();
        var rate = samples.Count / Math.Max(length.TotalSeconds, 0.001);
        return $"{samples.Count} check-ins ({rate:F1}/s), p50 {Percentile(samples, 0.50):F1} ms, p99 {Percentile(samples, 0.99):F1} ms, {failures} failed";
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

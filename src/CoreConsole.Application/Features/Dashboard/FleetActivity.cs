using System.Collections.Concurrent;

namespace CoreConsole.Application.Features.Dashboard;

/// <summary>
/// Check-ins and BSDP replies per minute over the last hour, for the dashboard chart. Kept in memory by this console process
/// (it starts empty, and with two consoles on one database each counts what it received): a per-minute tally is cheap on
/// the check-in path, and an hour of history is what an admin watching a rollout or a failover needs.
/// BSDP replies come from the representatives' cumulative counters; a counter that went down means the responder
/// restarted, and its new value is all new replies.
/// </summary>
public sealed class FleetActivity(TimeProvider clock)
{
    public const int Minutes = 60;
    private readonly long[] _minute = new long[Minutes];
    private readonly long[] _checkIns = new long[Minutes];
    private readonly long[] _replies = new long[Minutes];
    private readonly ConcurrentDictionary<Guid, long> _lastReplies = new();
    private readonly Lock _lock = new();

    public void RecordCheckIn(Guid agentId, long? bsdpRepliesSoFar)
    {
        long newReplies = 0;
        if (bsdpRepliesSoFar is { } total and >= 0)
        {
            var previous = _lastReplies.GetValueOrDefault(agentId, -1);
            _lastReplies[agentId] = total;
            // The first report only sets the baseline: what it counted before, this console did not see happen.
            if (previous >= 0) newReplies = total >= previous ? total - previous : total;
        }
        else _lastReplies.TryRemove(agentId, out _);

        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        lock (_lock)
        {
            if (_minute[slot] != minute) (_minute[slot], _checkIns[slot], _replies[slot]) = (minute, 0, 0);
            _checkIns[slot]++;
            _replies[slot] += newReplies;
        }
    }

    /// <summary>The last <see cref="Minutes"/> minutes, oldest first, ending with the current (partial) minute.</summary>
    public IReadOnlyList<ActivityMinute> Snapshot()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var result = new ActivityMinute[Minutes];
        lock (_lock)
        {
            for (var i = 0; i < Minutes; i++)
            {
                var minute = now - (Minutes - 1) + i;
                var slot = (int)(minute % Minutes);
                var at = DateTimeOffset.FromUnixTimeSeconds(minute * 60);
                result[i] = _minute[slot] == minute ? new ActivityMinute(at, _checkIns[slot], _replies[slot]) : new ActivityMinute(at, 0, 0);
            }
        }
        return result;
    }
}

public sealed record ActivityMinute(DateTimeOffset At, long CheckIns, long BsdpReplies);

using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Running;

/// <summary>What a check-in reply did to the role this agent holds.</summary>
public enum LeaseChange { None, Acquired, Renewed, Lost }

/// <summary>
/// Times the representative lease on the agent's monotonic clock, never the wall clock: the lease runs for leaseSeconds from
/// when the check-in that granted it was SENT, which is never later than when the core granted it, so the agent stops
/// serving no later than the core believes the lease has lapsed, whatever either wall clock says.
/// </summary>
public sealed class LeaseTracker(Func<long>? monotonicMilliseconds = null)
{
    private readonly Func<long> _now = monotonicMilliseconds ?? (() => Environment.TickCount64);
    private long _expiresAtMs;

    public RepresentativeRole? Current { get; private set; }

    public long NowMilliseconds => _now();

    /// <summary>Applies a reply's role; <paramref name="sentAtMs"/> is <see cref="NowMilliseconds"/> taken before the request went out.</summary>
    public LeaseChange OnReply(RepresentativeRole? role, long sentAtMs)
    {
        var expiresAt = role is null ? 0 : sentAtMs + role.LeaseSeconds * 1000L;
        if (role is null || expiresAt <= _now())
        {
            // No role, or one that already lapsed in transit: hold nothing.
            var hadRole = Current is not null;
            Current = null;
            return hadRole ? LeaseChange.Lost : LeaseChange.None;
        }

        var isSameRole = Current is not null && Current.Subnet == role.Subnet && Current.Term == role.Term;
        Current = role;
        _expiresAtMs = expiresAt;
        return isSameRole ? LeaseChange.Renewed : LeaseChange.Acquired;
    }

    /// <summary>True once, when the held lease has run out; the role is then dropped.</summary>
    public bool Expire()
    {
        if (Current is null || _now() < _expiresAtMs) return false;
        Current = null;
        return true;
    }

    /// <summary>Time left on the held lease, or null without one.</summary>
    public TimeSpan? Remaining => Current is null ? null : TimeSpan.FromMilliseconds(Math.Max(0, _expiresAtMs - _now()));
}

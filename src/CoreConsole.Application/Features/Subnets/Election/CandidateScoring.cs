namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>The console's preference for an agent as representative. Pinned beats preferred beats none, before any capability.</summary>
public enum CandidatePreference
{
    None = 0,
    Preferred = 1,
    Pinned = 2,
}

/// <summary>Capability facts the agent reports; they order candidates of equal preference.</summary>
public sealed record CandidateFacts(bool WiredLink, bool IsServerOs, int Cores, long MemoryBytes, long FreeDiskBytes)
{
    public static readonly CandidateFacts Unknown = new(false, false, 0, 0, 0);
}

/// <summary>One line of a score breakdown, e.g. ("wired link", 40).</summary>
public sealed record ScorePart(string Fact, int Points);

/// <summary>
/// A candidate's rank key: preference first, then capability points, then the agent id as a stable tie-breaker (lower wins),
/// so every console node orders the same candidates the same way.
/// </summary>
public sealed record CandidateScore(Guid AgentId, CandidatePreference Preference, int CapabilityPoints, IReadOnlyList<ScorePart> Parts)
    : IComparable<CandidateScore>
{
    /// <summary>Negative when this candidate ranks BEFORE <paramref name="other"/> (better).</summary>
    public int CompareTo(CandidateScore? other)
    {
        if (other is null) return -1;
        var byPreference = other.Preference.CompareTo(Preference);
        if (byPreference != 0) return byPreference;
        var byPoints = other.CapabilityPoints.CompareTo(CapabilityPoints);
        return byPoints != 0 ? byPoints : AgentId.CompareTo(other.AgentId);
    }

    public override string ToString() => Preference == CandidatePreference.None ? $"{CapabilityPoints} pts" : $"{Preference.ToString().ToLowerInvariant()} · {CapabilityPoints} pts";
}

/// <summary>
/// Turns capability facts into points. Capped so that one huge disk or core count cannot outweigh a wired link:
/// wired link 40, server OS 20, 2 per core (max 32), 1 per GiB of memory (max 32), 1 per 10 GiB free disk (max 20).
/// </summary>
public static class CandidateScoring
{
    private const long GiB = 1L << 30;

    public static CandidateScore Score(Guid agentId, CandidatePreference preference, CandidateFacts facts)
    {
        var parts = new List<ScorePart>(5);
        if (facts.WiredLink) parts.Add(new("wired link", 40));
        if (facts.IsServerOs) parts.Add(new("server OS", 20));
        var cores = Math.Clamp(facts.Cores, 0, 16) * 2;
        if (cores > 0) parts.Add(new($"{facts.Cores} cores", cores));
        var memory = (int)Math.Clamp(facts.MemoryBytes / GiB, 0, 32);
        if (memory > 0) parts.Add(new($"{facts.MemoryBytes / GiB} GiB memory", memory));
        var disk = (int)Math.Clamp(facts.FreeDiskBytes / (10 * GiB), 0, 20);
        if (disk > 0) parts.Add(new($"{facts.FreeDiskBytes / GiB} GiB free disk", disk));
        return new CandidateScore(agentId, preference, parts.Sum(p => p.Points), parts);
    }
}

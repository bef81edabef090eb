namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>An agent seen on the subnet, as the election sees it. Not every one is eligible; see <see cref="CandidateStatus"/>.</summary>
public sealed record ElectionCandidate
{
    public required Guid AgentId { get; init; }
    public string Name { get; init; } = "";
    /// <summary>The agent's IPv4 address on this subnet (what Macs would whitelist).</summary>
    public string? Address { get; init; }
    public CandidatePreference Preference { get; init; }
    public CandidateFacts Facts { get; init; } = CandidateFacts.Unknown;
    /// <summary>The agent's INSTALLED setting enables both self-electing subnet services and the PXE service.</summary>
    public bool SettingEnabled { get; init; }
    public required DateTimeOffset LastSeenAt { get; init; }
    /// <summary>The check-in interval the agent was told; judges whether it is online.</summary>
    public TimeSpan CheckInInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The agent holds (or was granted) the role on another subnet; an agent serves one subnet at a time.</summary>
    public bool RepresentsOtherSubnet { get; init; }
}

/// <summary>Why a candidate can or cannot be elected right now.</summary>
public enum CandidateStatus
{
    Eligible,
    /// <summary>Its installed setting does not enable both SESS and PXE.</summary>
    SettingOff,
    Offline,
    /// <summary>Its last lease lapsed without renewal; eligible again once it checks in.</summary>
    Unresponsive,
    RepresentsOtherSubnet,
}

/// <summary>A candidate with its status and score, ordered best first by <see cref="ElectionEngine.Rank"/>.</summary>
public sealed record RankedCandidate(ElectionCandidate Candidate, CandidateStatus Status, CandidateScore Score)
{
    public bool IsEligible => Status == CandidateStatus.Eligible;
}

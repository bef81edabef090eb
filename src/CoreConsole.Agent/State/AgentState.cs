using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.State;

/// <summary>Everything the agent must remember across restarts. Persisted as JSON by <see cref="AgentStateStore"/>.</summary>
public sealed class AgentState
{
    public Guid AgentId { get; set; }
    public string Secret { get; set; } = "";
    public string CoreUrl { get; set; } = "";
    public DateTimeOffset EnrolledAt { get; set; }
    public IdentityOverrides Overrides { get; set; } = new();

    public DateTimeOffset? LastCheckInAt { get; set; }
    public string? LastCheckInError { get; set; }
    public int CheckInIntervalSeconds { get; set; } = 60;

    public Guid? InstalledRevisionId { get; set; }
    public int? InstalledRevisionNumber { get; set; }
    public AgentSettingValues? InstalledSettings { get; set; }

    /// <summary>Every (work, revision) applied so far: the idempotency set, plus whether the core has the result.</summary>
    public List<AppliedWork> AppliedWork { get; set; } = [];

    /// <summary>Recommended/Optional items waiting for the user in the local portal.</summary>
    public List<PolicyWorkItem> PortalOffers { get; set; } = [];

    /// <summary>Last role seen, for <c>status</c> only: the lease itself is timed in memory on the monotonic clock.</summary>
    public RepresentativeRole? LastRole { get; set; }
    public string? LastPushUrl { get; set; }

    public AgentCredentials Credentials => new(AgentId, Secret);
    public bool IsEnrolled => AgentId != Guid.Empty && Secret.Length > 0;

    public bool HasApplied(Guid workId, Guid revisionId) =>
        AppliedWork.Exists(w => w.WorkId == workId && w.RevisionId == revisionId);
}

/// <summary>Command-line overrides given at enrolment, so one machine can impersonate machines on other subnets.</summary>
public sealed record IdentityOverrides
{
    public string? Model { get; init; }
    /// <summary>Advertised IPv4 with prefix, <c>A.B.C.D/NN</c>.</summary>
    public string? Ipv4 { get; init; }
    public string? HostName { get; init; }
    public string? SerialNumber { get; init; }
    public string? Mac { get; init; }
}

/// <summary>One applied (work, revision) and its outcome; <see cref="Reported"/> turns true once the core acknowledged the result.</summary>
public sealed record AppliedWork
{
    public required Guid WorkId { get; init; }
    public required Guid RevisionId { get; init; }
    public required bool Succeeded { get; init; }
    public string? Message { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public bool Reported { get; init; }

    public WorkResult ToResult() => new()
    {
        WorkId = WorkId,
        Succeeded = Succeeded,
        Message = Message,
        AppliedRevisionId = Succeeded ? RevisionId : null,
        FinishedAt = FinishedAt,
    };
}

namespace CoreConsole.Contracts.Agents;

/// <summary>GET /api/agent/policy: every work item pending for this agent (Required ones and portal offers).</summary>
public sealed record PolicyResponse
{
    public IReadOnlyList<PolicyWorkItem> Items { get; init; } = [];
    public DateTimeOffset CoreTime { get; init; }
}

/// <summary>
/// One piece of work for one agent (a task × device row on the core). <see cref="WorkId"/> is the idempotency key
/// together with the revision id: the agent applies each (workId, revisionId) at most once.
/// </summary>
public sealed record PolicyWorkItem
{
    public required Guid WorkId { get; init; }
    public required Guid TaskId { get; init; }
    public WorkKind Kind { get; init; } = WorkKind.ChangeSettings;
    public PortalMode Portal { get; init; } = PortalMode.Required;
    /// <summary>Task name for the portal list.</summary>
    public string? Title { get; init; }
    public required SettingRevision SettingRevision { get; init; }
}

/// <summary>POST /api/agent/results: the outcome of one work item. Idempotent on the core by <see cref="WorkId"/>.</summary>
public sealed record WorkResult
{
    public required Guid WorkId { get; init; }
    public required bool Succeeded { get; init; }
    public string? Message { get; init; }
    public Guid? AppliedRevisionId { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
}

/// <summary>Reply to a result; the agent treats any 2xx as acknowledged.</summary>
public sealed record WorkResultAck(bool Accepted);

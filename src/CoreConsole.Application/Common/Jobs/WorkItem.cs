namespace CoreConsole.Application.Common.Jobs;

public enum WorkItemState { Pending, Running, Succeeded, Failed, Cancelled }

/// <summary>
/// A piece of background work, stored before Hangfire ever sees it (ARCHITECTURE decision 1): the row is the truth,
/// Hangfire only executes; at start-up <see cref="WorkItemReconciler"/> re-enqueues what is due or unfinished.
/// </summary>
public sealed class WorkItem : Persistence.IVersioned
{
    public Guid Id { get; set; }
    /// <summary>Which <see cref="IWorkItemHandler"/> runs it.</summary>
    public required string Kind { get; set; }
    public string? Payload { get; set; }
    /// <summary>Idempotency key: a second enqueue with the same key returns the existing row.</summary>
    public string? Key { get; set; }
    public WorkItemState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>When a Running row may be taken over (its runner died): a lease, not a guess.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 3;
    public string? LastError { get; set; }
    public string? Progress { get; set; }
    public int Version { get; set; }
}

using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Application.Features.Agents;

// Extension points of the agent API. Each has a default here (registered with TryAdd in AddAgentServices) that does nothing;
// the features that own the behaviour (agent settings, tasks, elections, NetBoot catalogue) register their own implementation
// BEFORE or AFTER — Replace/Add wins over TryAdd either way when they call services.Replace or register first.

/// <summary>Agent API settings (configuration section <c>AgentApi</c>).</summary>
public sealed class AgentApiOptions
{
    /// <summary>Check-in interval for agents that have no agent setting installed yet.</summary>
    public int DefaultCheckInIntervalSeconds { get; set; } = 60;
}

/// <summary>A subnet the agent sits on, as the core derived it from an address and prefix.</summary>
public sealed record AgentSubnet(Guid SubnetId, string Cidr, string Address);

/// <summary>
/// What the check-in pipeline knows about the calling agent, without a database read on the hot path
/// (held in <see cref="AgentStateCache"/>, refreshed whenever the agent's inventory or state changes).
/// </summary>
public sealed record AgentCheckInContext(
    Guid AgentId,
    Guid DeviceId,
    IReadOnlyList<AgentSubnet> Subnets,
    Guid? AssignedSettingId,
    AgentPreference Preference,
    DateTimeOffset Now);

/// <summary>The election: called on every check-in; returns the role the agent holds (with a renewed lease) or null.</summary>
public interface IElectionService
{
    ValueTask<RepresentativeRole?> OnCheckInAsync(AgentCheckInContext agent, CheckInRequest report, CancellationToken ct);
}

/// <summary>Which setting revision the agent should have installed (null: no opinion, keep what it has).</summary>
public interface IDesiredSettingsSource
{
    ValueTask<SettingRevision?> GetDesiredAsync(AgentCheckInContext agent, CheckInRequest report, CancellationToken ct);
}

/// <summary>Pending policy work (task × device rows) for an agent.</summary>
public interface IAgentPolicySource
{
    ValueTask<int> CountPendingAsync(Guid agentId, CancellationToken ct);
    ValueTask<IReadOnlyList<PolicyWorkItem>> GetPendingAsync(Guid agentId, CancellationToken ct);
}

/// <summary>Records the outcome of a work item. Must be idempotent by <see cref="WorkResult.WorkId"/>.</summary>
public interface IAgentWorkResults
{
    /// <summary>False when the work item is unknown or not this agent's (the API answers 404).</summary>
    ValueTask<bool> RecordAsync(Guid agentId, WorkResult result, CancellationToken ct);
}

/// <summary>The NetBoot catalogue a representative serves.</summary>
public interface IRepresentativeCatalogueSource
{
    /// <summary>Reference to put in the check-in reply for an agent holding <paramref name="role"/>; null when there is none yet.</summary>
    ValueTask<CatalogueReference?> GetReferenceAsync(AgentCheckInContext agent, RepresentativeRole role, CancellationToken ct);

    /// <summary>The document behind a reference; null → 404.</summary>
    ValueTask<CatalogueDocument?> GetDocumentAsync(Guid agentId, string? version, CancellationToken ct);
}

/// <summary>Default: no elections yet, so nobody holds a role.</summary>
public sealed class NoElectionService : IElectionService
{
    public ValueTask<RepresentativeRole?> OnCheckInAsync(AgentCheckInContext agent, CheckInRequest report, CancellationToken ct) => ValueTask.FromResult<RepresentativeRole?>(null);
}

/// <summary>Default: no agent settings feature yet, so no desired revision.</summary>
public sealed class NoDesiredSettingsSource : IDesiredSettingsSource
{
    public ValueTask<SettingRevision?> GetDesiredAsync(AgentCheckInContext agent, CheckInRequest report, CancellationToken ct) => ValueTask.FromResult<SettingRevision?>(null);
}

/// <summary>Default: no tasks feature yet, so no policy.</summary>
public sealed class NoAgentPolicySource : IAgentPolicySource
{
    public ValueTask<int> CountPendingAsync(Guid agentId, CancellationToken ct) => ValueTask.FromResult(0);
    public ValueTask<IReadOnlyList<PolicyWorkItem>> GetPendingAsync(Guid agentId, CancellationToken ct) => ValueTask.FromResult<IReadOnlyList<PolicyWorkItem>>([]);
}

/// <summary>Default: no catalogue yet (GET answers 404).</summary>
public sealed class NoRepresentativeCatalogueSource : IRepresentativeCatalogueSource
{
    public ValueTask<CatalogueReference?> GetReferenceAsync(AgentCheckInContext agent, RepresentativeRole role, CancellationToken ct) => ValueTask.FromResult<CatalogueReference?>(null);
    public ValueTask<CatalogueDocument?> GetDocumentAsync(Guid agentId, string? version, CancellationToken ct) => ValueTask.FromResult<CatalogueDocument?>(null);
}

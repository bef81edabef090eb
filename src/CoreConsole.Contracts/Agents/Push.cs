using System.Text.Json.Serialization;

namespace CoreConsole.Contracts.Agents;

/// <summary>What the core asks of an agent by push.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PushKind>))]
public enum PushKind
{
    /// <summary>Apply <see cref="PushRequest.SettingRevision"/> now (a Push-delivered "Change settings" task; result also POSTed to /results).</summary>
    ApplySettings,
    /// <summary>A new catalogue version exists for the agent's role: check in now to get it.</summary>
    SyncCatalogue,
    /// <summary>Check in immediately (e.g. election changed, policy waiting).</summary>
    CheckInNow,
}

/// <summary>
/// Core → agent: POST {pushUrl}/push, signed with <see cref="AgentAuth.CoreScheme"/>. The agent answers 401 to anything
/// unsigned, mis-signed, out of the ±300 s window or replayed.
/// </summary>
public sealed record PushRequest
{
    public int ProtocolVersion { get; init; } = AgentProtocol.Version;
    public required PushKind Kind { get; init; }
    public Guid? WorkId { get; init; }
    public SettingRevision? SettingRevision { get; init; }
    public string? CatalogueVersion { get; init; }
}

/// <summary>200 reply to a push. For ApplySettings, <see cref="AppliedRevisionId"/> is the revision now installed.</summary>
public sealed record PushResponse
{
    public required bool Accepted { get; init; }
    public Guid? AppliedRevisionId { get; init; }
    public string? Message { get; init; }
}

using System.Text.Json.Serialization;

namespace CoreConsole.Contracts.Agents;

/// <summary>The values of a "Client connectivity" agent setting, as the agent applies them.</summary>
public sealed record AgentSettingValues
{
    /// <summary>Take part in self-electing subnet services (SESS).</summary>
    public bool EnableSubnetServices { get; init; }
    /// <summary>Offer the PXE/NetBoot (BSDP + TFTP) service when elected.</summary>
    public bool EnablePxe { get; init; }
    public int CheckInIntervalSeconds { get; init; } = 60;
    public int PolicyIntervalSeconds { get; init; } = 900;
}

/// <summary>One immutable revision of an agent setting. <see cref="Id"/> identifies it; <see cref="Number"/> orders revisions of one setting.</summary>
public sealed record SettingRevision
{
    public required Guid Id { get; init; }
    public required int Number { get; init; }
    public required AgentSettingValues Settings { get; init; }
}

/// <summary>Policy work kinds. Only settings changes exist so far.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkKind>))]
public enum WorkKind
{
    ChangeSettings,
}

/// <summary>How a task reaches the user: Required is applied without asking; Recommended/Optional wait in the local portal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PortalMode>))]
public enum PortalMode
{
    Required,
    Recommended,
    Optional,
}

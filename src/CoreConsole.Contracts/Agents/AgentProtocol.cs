using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoreConsole.Contracts.Agents;

/// <summary>Paths, version and JSON options of the agent API. Paths are absolute on the core; <see cref="Push"/> is relative to the agent's pushUrl.</summary>
public static class AgentProtocol
{
    /// <summary>Wire version carried in every request body. Bump only for a breaking change (which we avoid: add fields instead).</summary>
    public const int Version = 1;

    /// <summary>POST <see cref="EnrollRequest"/> → <see cref="EnrollResponse"/>. Anonymous; the enrolment token authorises.</summary>
    public const string Enroll = "/api/agent/enroll";

    /// <summary>POST <see cref="CheckInRequest"/> → <see cref="CheckInResponse"/>. <c>Authorization: CoreConsole-Agent</c>.</summary>
    public const string CheckIn = "/api/agent/checkin";

    /// <summary>GET → <see cref="PolicyResponse"/>. <c>Authorization: CoreConsole-Agent</c>.</summary>
    public const string Policy = "/api/agent/policy";

    /// <summary>POST <see cref="WorkResult"/> → 200 <see cref="WorkResultAck"/> (or any 2xx). <c>Authorization: CoreConsole-Agent</c>.</summary>
    public const string Results = "/api/agent/results";

    /// <summary>Core → agent: POST {pushUrl}/push <see cref="PushRequest"/> → <see cref="PushResponse"/>. <c>Authorization: CoreConsole-Core</c> + timestamp header.</summary>
    public const string Push = "/push";

    /// <summary>
    /// The serializer options both sides use: web defaults (camelCase, case-insensitive read).
    /// Enums carry their own converters, so they serialize the same under any options.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

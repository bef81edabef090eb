namespace CoreConsole.Contracts.Agents;

/// <summary>
/// POST /api/agent/enroll. Exchanges a one-time or fleet enrolment token for a per-agent identity.
/// Re-enrolling the same machine (same serial / primary MAC) may reuse the agent id but always issues a new secret.
/// </summary>
public sealed record EnrollRequest
{
    public int ProtocolVersion { get; init; } = AgentProtocol.Version;
    public required string Token { get; init; }
    public required string HostName { get; init; }
    public string? SerialNumber { get; init; }
    /// <summary>MAC of the primary wired interface, upper-case colon form <c>AA:BB:CC:DD:EE:FF</c>.</summary>
    public string? PrimaryMac { get; init; }
    /// <summary>Apple model identifier or platform product name, e.g. <c>MacBookPro14,1</c>.</summary>
    public string? Model { get; init; }
    public string? OsName { get; init; }
    public string? OsVersion { get; init; }
    public string? AgentVersion { get; init; }
}

/// <summary>
/// Reply to enrolment. 200 on success; 401 for an unknown/expired token.
/// The core keeps only <see cref="AgentAuth.HashSecret"/> and <see cref="AgentAuth.DerivePushKey"/> of the secret.
/// </summary>
public sealed record EnrollResponse
{
    public required Guid AgentId { get; init; }
    /// <summary>base64url (no padding) of 32 random bytes; see <see cref="AgentAuth.GenerateSecret"/>.</summary>
    public required string Secret { get; init; }
    public required int CheckInIntervalSeconds { get; init; }
    public required DateTimeOffset CoreTime { get; init; }
}

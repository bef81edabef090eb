using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoreConsole.Contracts.Agents;

/// <summary>
/// The two authentication schemes between core and agent, shared so both sides compute the same bytes.
/// <list type="bullet">
/// <item>Agent → core: <c>Authorization: CoreConsole-Agent &lt;agentId&gt;:&lt;secret&gt;</c> (over HTTPS in production).
/// The core stores only <see cref="HashSecret"/> and compares with <see cref="VerifySecret"/>.</item>
/// <item>Core → agent push: <c>Authorization: CoreConsole-Core &lt;agentId&gt;:&lt;hex HMAC-SHA256(pushKey, timestamp + "\n" + body)&gt;</c>
/// plus <c>X-CoreConsole-Timestamp: &lt;unix seconds&gt;</c>. pushKey = <see cref="DerivePushKey"/>(secret), so the core can sign
/// without keeping the secret itself (it stores the hash and the push key).</item>
/// </list>
/// </summary>
public static class AgentAuth
{
    public const string AgentScheme = "CoreConsole-Agent";
    public const string CoreScheme = "CoreConsole-Core";
    public const string TimestampHeader = "X-CoreConsole-Timestamp";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(300);

    private static readonly byte[] PushKeyLabel = "CoreConsole push key v1"u8.ToArray();

    /// <summary>A new agent secret: 32 random bytes, base64url without padding.</summary>
    public static string GenerateSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the core stores instead of the secret: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time check of a presented secret against a stored <see cref="HashSecret"/>.</summary>
    public static bool VerifySecret(string presentedSecret, string storedHash)
    {
        var presented = Encoding.ASCII.GetBytes(HashSecret(presentedSecret));
        var stored = Encoding.ASCII.GetBytes(storedHash.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    /// <summary>The HMAC key for pushes: HMAC-SHA256(key: UTF-8 secret, message: "CoreConsole push key v1"). 32 bytes.</summary>
    public static byte[] DerivePushKey(string secret) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), PushKeyLabel);

    /// <summary>Header value for agent → core calls.</summary>
    public static string AgentAuthorization(Guid agentId, string secret) => $"{AgentScheme} {agentId:D}:{secret}";

    /// <summary>Lower-case hex HMAC-SHA256(pushKey, ASCII(timestamp) + "\n" + body).</summary>
    public static string ComputePushSignature(ReadOnlySpan<byte> pushKey, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "\n");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(pushKey, message));
    }

    /// <summary>Header value for core → agent pushes.</summary>
    public static string CoreAuthorization(Guid agentId, ReadOnlySpan<byte> pushKey, long unixSeconds, ReadOnlySpan<byte> body) =>
        $"{CoreScheme} {agentId:D}:{ComputePushSignature(pushKey, unixSeconds, body)}";

    /// <summary>Adds the Authorization and timestamp headers for a push whose content is exactly <paramref name="body"/>.</summary>
    public static void SignPush(HttpRequestMessage request, Guid agentId, ReadOnlySpan<byte> pushKey, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation("Authorization", CoreAuthorization(agentId, pushKey, timestamp, body));
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Splits <c>&lt;scheme&gt; &lt;guid&gt;:&lt;credential&gt;</c>; false for another scheme or a malformed value.</summary>
    public static bool TryParseAuthorization(string? header, string scheme, out Guid agentId, out string credential)
    {
        agentId = Guid.Empty;
        credential = "";
        if (string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (!value.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = value[(scheme.Length + 1)..].Trim();
        var colon = rest.IndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1) return false;
        if (!Guid.TryParse(rest[..colon], out agentId)) return false;
        credential = rest[(colon + 1)..];
        return true;
    }

    /// <summary>
    /// Verifies a push on the agent: scheme, agent id, timestamp within <see cref="MaxClockSkew"/>, signature (constant time),
    /// then — only for an authentic request — that it was not seen before.
    /// </summary>
    public static PushVerification VerifyPush(
        string? authorization, string? timestamp, ReadOnlySpan<byte> body,
        Guid expectedAgentId, ReadOnlySpan<byte> pushKey, DateTimeOffset now, PushReplayGuard replayGuard)
    {
        if (authorization is null || timestamp is null) return PushVerification.Missing;
        if (!TryParseAuthorization(authorization, CoreScheme, out var agentId, out var signatureHex)) return PushVerification.Malformed;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds)) return PushVerification.Malformed;
        if (agentId != expectedAgentId) return PushVerification.WrongAgent;
        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > (long)MaxClockSkew.TotalSeconds) return PushVerification.Skewed;

        var expected = Encoding.ASCII.GetBytes(ComputePushSignature(pushKey, unixSeconds, body));
        var presented = Encoding.ASCII.GetBytes(signatureHex.ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, presented)) return PushVerification.BadSignature;

        return replayGuard.TryRecord(signatureHex.ToLowerInvariant(), unixSeconds, now) ? PushVerification.Valid : PushVerification.Replayed;
    }

    /// <summary>
    /// Like the other overload, but for a listener serving several agents (the fleet simulator): the agent id in the header
    /// picks the push key; <paramref name="pushKeyFor"/> returns null for an unknown agent.
    /// </summary>
    public static PushVerification VerifyPush(
        string? authorization, string? timestamp, ReadOnlySpan<byte> body,
        Func<Guid, byte[]?> pushKeyFor, DateTimeOffset now, PushReplayGuard replayGuard, out Guid agentId)
    {
        if (!TryParseAuthorization(authorization, CoreScheme, out agentId, out _))
            return authorization is null ? PushVerification.Missing : PushVerification.Malformed;
        var pushKey = pushKeyFor(agentId);
        return pushKey is null
            ? PushVerification.WrongAgent
            : VerifyPush(authorization, timestamp, body, agentId, pushKey, now, replayGuard);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Outcome of <see cref="AgentAuth.VerifyPush"/>; anything but <see cref="Valid"/> is a 401.</summary>
public enum PushVerification
{
    Valid,
    Missing,
    Malformed,
    WrongAgent,
    Skewed,
    BadSignature,
    Replayed,
}

/// <summary>
/// Remembers signatures of accepted pushes until they fall out of the skew window, so the same signed request cannot be
/// accepted twice. Memory is bounded by the push rate × 2 × window.
/// </summary>
public sealed class PushReplayGuard
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Records the signature; false if it was already recorded.</summary>
    public bool TryRecord(string signature, long unixSeconds, DateTimeOffset now)
    {
        var horizon = now.ToUnixTimeSeconds() - (long)AgentAuth.MaxClockSkew.TotalSeconds;
        lock (_gate)
        {
            if (_seen.Count > 0 && _seen.Count % 256 == 0) Purge(horizon);
            if (_seen.ContainsKey(signature)) return false;
            _seen[signature] = unixSeconds;
            return true;
        }
    }

    private void Purge(long horizon)
    {
        foreach (var (signature, timestamp) in _seen.ToArray())
            if (timestamp < horizon) _seen.Remove(signature);
    }
}

using System.Text;
using System.Text.Json;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests;

public sealed class AgentAuthTests
{
    private static readonly Guid AgentId = Guid.Parse("6f1c2b7e-52a8-4c1e-9a43-1f6f0e3a2b11");
    private static readonly string Secret = AgentAuth.GenerateSecret();
    private static readonly byte[] PushKey = AgentAuth.DerivePushKey(Secret);
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"kind":"CheckInNow"}""");

    private static (string Authorization, string Timestamp) Sign(byte[] body, DateTimeOffset at, byte[]? key = null) =>
        (AgentAuth.CoreAuthorization(AgentId, key ?? PushKey, at.ToUnixTimeSeconds(), body), at.ToUnixTimeSeconds().ToString());

    [Fact]
    public void A_correctly_signed_push_is_valid()
    {
        var (auth, ts) = Sign(Body, Now);
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.Valid);
    }

    [Fact]
    public void A_push_whose_body_was_tampered_with_is_refused()
    {
        var (auth, ts) = Sign(Body, Now);
        var tampered = Encoding.UTF8.GetBytes("""{"kind":"ApplySettings"}""");
        AgentAuth.VerifyPush(auth, ts, tampered, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.BadSignature);
    }

    [Fact]
    public void A_push_whose_timestamp_header_was_changed_is_refused()
    {
        var (auth, _) = Sign(Body, Now);
        var later = (Now.ToUnixTimeSeconds() + 1).ToString();
        AgentAuth.VerifyPush(auth, later, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.BadSignature);
    }

    [Fact]
    public void A_push_signed_with_another_key_is_refused()
    {
        var (auth, ts) = Sign(Body, Now, AgentAuth.DerivePushKey(AgentAuth.GenerateSecret()));
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.BadSignature);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_push_more_than_300_seconds_off_the_agent_clock_is_refused(int skewSeconds)
    {
        var (auth, ts) = Sign(Body, Now.AddSeconds(skewSeconds));
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.Skewed);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void A_push_exactly_300_seconds_off_is_still_accepted(int skewSeconds)
    {
        var (auth, ts) = Sign(Body, Now.AddSeconds(skewSeconds));
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.Valid);
    }

    [Fact]
    public void The_same_signed_push_is_accepted_only_once()
    {
        var guard = new PushReplayGuard();
        var (auth, ts) = Sign(Body, Now);
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now, guard).ShouldBe(PushVerification.Valid);
        AgentAuth.VerifyPush(auth, ts, Body, AgentId, PushKey, Now.AddSeconds(5), guard).ShouldBe(PushVerification.Replayed);
    }

    [Fact]
    public void A_push_for_another_agent_is_refused()
    {
        var (auth, ts) = Sign(Body, Now);
        AgentAuth.VerifyPush(auth, ts, Body, Guid.NewGuid(), PushKey, Now, new PushReplayGuard()).ShouldBe(PushVerification.WrongAgent);
    }

    [Theory]
    [InlineData(null, "1750000000", PushVerification.Missing)]
    [InlineData("Bearer abc", "1750000000", PushVerification.Malformed)]
    [InlineData("CoreConsole-Core not-a-guid:abcd", "1750000000", PushVerification.Malformed)]
    [InlineData("CoreConsole-Core 6f1c2b7e-52a8-4c1e-9a43-1f6f0e3a2b11:abcd", "soon", PushVerification.Malformed)]
    [InlineData("CoreConsole-Core 6f1c2b7e-52a8-4c1e-9a43-1f6f0e3a2b11:abcd", null, PushVerification.Missing)]
    public void Missing_or_malformed_headers_are_refused(string? authorization, string? timestamp, PushVerification expected) =>
        AgentAuth.VerifyPush(authorization, timestamp, Body, AgentId, PushKey, Now, new PushReplayGuard()).ShouldBe(expected);

    [Fact]
    public void The_agent_authorization_header_parses_back_to_id_and_secret()
    {
        var header = AgentAuth.AgentAuthorization(AgentId, Secret);
        header.ShouldStartWith("CoreConsole-Agent ");
        AgentAuth.TryParseAuthorization(header, AgentAuth.AgentScheme, out var id, out var secret).ShouldBeTrue();
        id.ShouldBe(AgentId);
        secret.ShouldBe(Secret);
    }

    [Fact]
    public void A_secret_is_32_random_bytes_in_base64url_and_verifies_only_against_its_own_hash()
    {
        Secret.Length.ShouldBe(43);
        Secret.ShouldNotContain("+");
        Secret.ShouldNotContain("/");
        Secret.ShouldNotContain("=");
        AgentAuth.VerifySecret(Secret, AgentAuth.HashSecret(Secret)).ShouldBeTrue();
        AgentAuth.VerifySecret(AgentAuth.GenerateSecret(), AgentAuth.HashSecret(Secret)).ShouldBeFalse();
    }

    [Fact]
    public void The_signature_is_hex_hmac_sha256_of_timestamp_newline_body()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(PushKey, Encoding.UTF8.GetBytes("1750000000\n{\"kind\":\"CheckInNow\"}")));
        AgentAuth.ComputePushSignature(PushKey, 1_750_000_000, Body).ShouldBe(expected);
    }

    [Fact]
    public void Enums_travel_as_the_strings_the_contract_names()
    {
        var status = JsonSerializer.Serialize(new RepresentativeStatus { Subnet = "10.0.1.0/24", Term = 3, State = RepresentativeState.Serving }, AgentProtocol.JsonOptions);
        status.ShouldContain("\"state\":\"serving\"");
        var item = JsonSerializer.Serialize(new PolicyWorkItem
        {
            WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Recommended,
            SettingRevision = new SettingRevision { Id = Guid.NewGuid(), Number = 1, Settings = new AgentSettingValues() },
        }, AgentProtocol.JsonOptions);
        item.ShouldContain("\"kind\":\"ChangeSettings\"");
        item.ShouldContain("\"portal\":\"Recommended\"");
        JsonSerializer.Serialize(new PushRequest { Kind = PushKind.ApplySettings }, AgentProtocol.JsonOptions).ShouldContain("\"kind\":\"ApplySettings\"");
    }
}

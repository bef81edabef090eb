using System.Net;
using System.Net.Http.Json;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>Enrolment tokens (one-time, multi-use, expiry, revocation) and re-enrolment without duplicates.</summary>
public sealed class EnrolmentTests : IAsyncLifetime
{
    private readonly AgentApiFactory _core = new();
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _http = _core.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private async Task<HttpResponseMessage> PostEnrolAsync(EnrollRequest request) =>
        await _http.PostAsJsonAsync(AgentProtocol.Enroll, request, AgentProtocol.JsonOptions);

    private async Task<int> CountAsync(Func<AppDbContextAccess, Task<int>> count)
    {
        await using var db = await _core.Db.CreateDbContextAsync();
        return await count(new AppDbContextAccess(db));
    }

    public sealed record AppDbContextAccess(CoreConsole.Application.Common.Persistence.AppDbContext Db);

    [Fact]
    public async Task A_one_time_token_replayed_is_refused_with_401_and_creates_nothing()
    {
        var token = await _core.CreateTokenAsync("one", maxUses: 1);
        (await PostEnrolAsync(AgentCalls.Enrolment(token, serial: "S1", mac: "02:00:00:00:00:01", host: "one"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var replay = await PostEnrolAsync(AgentCalls.Enrolment(token, serial: "S2", mac: "02:00:00:00:00:02", host: "two"));
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        replay.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await CountAsync(a => a.Db.Devices.CountAsync())).ShouldBe(1);
        (await _core.QueryAsync(new ListEnrollmentTokensQuery())).Single().ShouldSatisfyAllConditions(
            t => t.UseCount.ShouldBe(1), t => t.State.ShouldBe(EnrollmentTokenState.UsedUp));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = await _core.CreateTokenAsync("soon", maxUses: null, expiresAt: DateTimeOffset.UtcNow.AddMinutes(5));
        await using (var db = await _core.Db.CreateDbContextAsync())
            await db.EnrollmentTokens.ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        (await PostEnrolAsync(AgentCalls.Enrolment(token))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await CountAsync(a => a.Db.Agents.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_revoked_token_and_an_unknown_token_are_refused()
    {
        var token = await _core.CreateTokenAsync("fleet", maxUses: null);
        var id = (await _core.QueryAsync(new ListEnrollmentTokensQuery())).Single().Id;
        (await _core.SendAsSystemAsync(new RevokeEnrollmentTokenCommand(id))).IsSuccess.ShouldBeTrue();
        (await PostEnrolAsync(AgentCalls.Enrolment(token))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await PostEnrolAsync(AgentCalls.Enrolment("cce_made-up"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await CountAsync(a => a.Db.Agents.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_multi_use_token_counts_its_uses_and_stops_at_the_limit()
    {
        var token = await _core.CreateTokenAsync("three", maxUses: 3);
        for (var i = 1; i <= 3; i++)
            (await PostEnrolAsync(AgentCalls.Enrolment(token, serial: $"S{i}", mac: $"02:00:00:00:00:0{i}", host: $"m{i}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostEnrolAsync(AgentCalls.Enrolment(token, serial: "S4", mac: "02:00:00:00:00:04", host: "m4"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _core.QueryAsync(new ListEnrollmentTokensQuery())).Single().UseCount.ShouldBe(3);
        (await CountAsync(a => a.Db.Devices.CountAsync())).ShouldBe(3);
    }

    [Fact]
    public async Task Concurrent_enrolments_with_a_one_time_token_let_exactly_one_through()
    {
        var token = await _core.CreateTokenAsync("race", maxUses: 1);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            PostEnrolAsync(AgentCalls.Enrolment(token, serial: $"R{i}", mac: $"02:00:00:00:01:0{i}", host: $"r{i}"))));
        attempts.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        (await CountAsync(a => a.Db.Agents.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task An_agent_that_lost_its_state_re_enrols_without_a_duplicate_device_and_the_old_secret_stops_working()
    {
        var fleet = await _core.CreateTokenAsync("fleet", maxUses: null);
        var first = await _http.EnrollAsync(AgentCalls.Enrolment(fleet));
        (await _http.CheckInAsync(first.AgentId, first.Secret, AgentCalls.Report())).EnsureSuccessStatusCode();

        var second = await _http.EnrollAsync(AgentCalls.Enrolment(fleet));
        second.AgentId.ShouldBe(first.AgentId);
        second.Secret.ShouldNotBe(first.Secret);
        (await CountAsync(a => a.Db.Devices.CountAsync())).ShouldBe(1);
        (await CountAsync(a => a.Db.Agents.CountAsync())).ShouldBe(1);

        (await _http.CheckInAsync(first.AgentId, first.Secret, AgentCalls.Report())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _http.CheckInAsync(second.AgentId, second.Secret, AgentCalls.Report())).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_serial_the_primary_mac_identifies_the_machine()
    {
        var fleet = await _core.CreateTokenAsync("fleet", maxUses: null);
        var first = await _http.EnrollAsync(AgentCalls.Enrolment(fleet) with { SerialNumber = null, Model = "OptiPlex 7050" });
        var again = await _http.EnrollAsync(AgentCalls.Enrolment(fleet) with { SerialNumber = null, Model = "OptiPlex 7050" });
        again.AgentId.ShouldBe(first.AgentId);
        (await CountAsync(a => a.Db.Devices.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task A_shared_usb_adapter_mac_does_not_merge_two_machines_with_different_serials()
    {
        var fleet = await _core.CreateTokenAsync("fleet", maxUses: null);
        var a = await _http.EnrollAsync(AgentCalls.Enrolment(fleet, serial: "SER-A", mac: "00:24:32:AA:BB:CC", host: "a"));
        var b = await _http.EnrollAsync(AgentCalls.Enrolment(fleet, serial: "SER-B", mac: "00:24:32:AA:BB:CC", host: "b"));
        b.AgentId.ShouldNotBe(a.AgentId);
        (await CountAsync(x => x.Db.Devices.CountAsync())).ShouldBe(2);

        // B's check-in reports the adapter as its primary MAC: it moves to B, A loses it, and the move is audited.
        (await _http.CheckInAsync(a.AgentId, a.Secret, AgentCalls.Report("SER-A", "00:24:32:AA:BB:CC", host: "a"))).EnsureSuccessStatusCode();
        (await _http.CheckInAsync(b.AgentId, b.Secret, AgentCalls.Report("SER-B", "00:24:32:AA:BB:CC", host: "b"))).EnsureSuccessStatusCode();
        await using var db = await _core.Db.CreateDbContextAsync();
        (await db.Devices.SingleAsync(d => d.SerialNumber == "SER-B")).PrimaryMac.ShouldBe("00:24:32:AA:BB:CC");
        (await db.Devices.SingleAsync(d => d.SerialNumber == "SER-A")).PrimaryMac.ShouldBeNull();
        (await db.AuditEntries.SingleAsync(e => e.Action == "RecordCheckIn")).Summary!.ShouldContain("moved from a to b");
    }

    [Fact]
    public async Task A_serial_already_held_by_another_device_stays_with_the_first_and_the_conflict_is_audited()
    {
        var fleet = await _core.CreateTokenAsync("fleet", maxUses: null);
        var a = await _http.EnrollAsync(AgentCalls.Enrolment(fleet, serial: "SER-A", mac: "02:00:00:00:00:0A", host: "a"));
        var b = await _http.EnrollAsync(AgentCalls.Enrolment(fleet, serial: "SER-B", mac: "02:00:00:00:00:0B", host: "b"));
        // b's agent state was copied from a (cloned image): it reports a's serial with its own MAC.
        (await _http.CheckInAsync(b.AgentId, b.Secret, AgentCalls.Report("SER-A", "02:00:00:00:00:0B", host: "b"))).EnsureSuccessStatusCode();
        await using var db = await _core.Db.CreateDbContextAsync();
        (await db.Devices.CountAsync(d => d.SerialNumber == "SER-A")).ShouldBe(1);
        (await db.Devices.SingleAsync(d => d.HostName == "b")).SerialNumber.ShouldBe("SER-B");
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "RecordCheckIn");
        audit.Summary!.ShouldContain("that device keeps it");
        audit.EntityId.ShouldBe((await db.Devices.SingleAsync(d => d.HostName == "b")).Id.ToString());
    }
}

/// <summary>Per-agent rate limiting with a small bucket.</summary>
public sealed class AgentRateLimitTests : IAsyncLifetime
{
    private readonly AgentApiFactory _core = new(settings: new Dictionary<string, string?>
    {
        ["AgentApi:RateLimit:TokenLimit"] = "3", ["AgentApi:RateLimit:TokensPerSecond"] = "1",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _core.DisposeAsync();

    [Fact]
    public async Task An_agent_over_its_rate_gets_429_with_retry_after_while_other_agents_are_served()
    {
        var http = _core.CreateClient();
        var token = await _core.CreateTokenAsync("fleet", maxUses: null);
        var a = await http.EnrollAsync(AgentCalls.Enrolment(token, serial: "A", mac: "02:00:00:00:00:0A", host: "a"));
        var b = await http.EnrollAsync(AgentCalls.Enrolment(token, serial: "B", mac: "02:00:00:00:00:0B", host: "b"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await http.SendAsync(AgentCalls.Authorized(HttpMethod.Get, AgentProtocol.Policy, a.AgentId, a.Secret));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }
        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        limited!.Headers.RetryAfter.ShouldNotBeNull();
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var other = await http.SendAsync(AgentCalls.Authorized(HttpMethod.Get, AgentProtocol.Policy, b.AgentId, b.Secret));
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

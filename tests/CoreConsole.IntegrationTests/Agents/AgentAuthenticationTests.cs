using System.Net;
using System.Net.Http.Json;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>Every agent call is authenticated per agent; a refused call writes nothing.</summary>
public sealed class AgentAuthenticationTests : IAsyncLifetime
{
    private readonly AgentApiFactory _core = new();
    private HttpClient _http = null!;
    private EnrollResponse _a = null!;
    private EnrollResponse _b = null!;

    public async ValueTask InitializeAsync()
    {
        _http = _core.CreateClient();
        var token = await _core.CreateTokenAsync("fleet", maxUses: 10);
        _a = await _http.EnrollAsync(AgentCalls.Enrolment(token, serial: "SERIAL-A", mac: "02:00:00:00:00:0A", host: "mac-a"));
        _b = await _http.EnrollAsync(AgentCalls.Enrolment(token, serial: "SERIAL-B", mac: "02:00:00:00:00:0B", host: "mac-b"));
        (await _http.CheckInAsync(_a.AgentId, _a.Secret, AgentCalls.Report("SERIAL-A", "02:00:00:00:00:0A", host: "mac-a"))).EnsureSuccessStatusCode();
        await _core.FlushHeartbeatsAsync();
    }

    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private async Task<(string Model, DateTimeOffset LastSeen, DateTimeOffset? LastCheckIn)> DeviceAAsync()
    {
        await _core.FlushHeartbeatsAsync();
        await using var db = await _core.Db.CreateDbContextAsync();
        var agent = await db.Agents.AsNoTracking().Include(a => a.Device).SingleAsync(a => a.Id == _a.AgentId);
        return (agent.Device!.Model, agent.Device.LastSeenAt, agent.LastCheckInAt);
    }

    private async Task ShouldBeRefusedAndWriteNothing(Func<HttpRequestMessage> request, HttpStatusCode expected = HttpStatusCode.Unauthorized)
    {
        var before = await DeviceAAsync();
        using var response = await _http.SendAsync(request());
        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await DeviceAAsync()).ShouldBe(before);
    }

    private static CheckInRequest ChangedReport() => AgentCalls.Report("SERIAL-A", "02:00:00:00:00:0A", model: "Hacked1,1", host: "mac-a");

    [Fact]
    public Task A_check_in_without_credentials_is_401_and_writes_nothing() =>
        ShouldBeRefusedAndWriteNothing(() => new HttpRequestMessage(HttpMethod.Post, AgentProtocol.CheckIn)
            { Content = JsonContent.Create(ChangedReport(), options: AgentProtocol.JsonOptions) });

    [Fact]
    public Task A_check_in_with_a_wrong_secret_is_401_and_writes_nothing() =>
        ShouldBeRefusedAndWriteNothing(() => AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.CheckIn, _a.AgentId, "not-the-secret", ChangedReport()));

    [Fact]
    public Task Another_agents_secret_is_401_and_writes_nothing() =>
        ShouldBeRefusedAndWriteNothing(() => AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.CheckIn, _a.AgentId, _b.Secret, ChangedReport()));

    [Fact]
    public Task A_malformed_authorization_header_is_401()
    {
        return ShouldBeRefusedAndWriteNothing(() =>
        {
            var r = new HttpRequestMessage(HttpMethod.Post, AgentProtocol.CheckIn) { Content = JsonContent.Create(ChangedReport(), options: AgentProtocol.JsonOptions) };
            r.Headers.TryAddWithoutValidation("Authorization", $"Bearer {_a.AgentId}:{_a.Secret}");
            return r;
        });
    }

    [Fact]
    public Task An_unknown_agent_id_is_401() =>
        ShouldBeRefusedAndWriteNothing(() => AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.CheckIn, Guid.NewGuid(), _a.Secret, ChangedReport()));

    [Fact]
    public async Task A_revoked_agent_is_refused_on_every_call_until_it_re_enrols()
    {
        (await _core.SendAsSystemAsync(new RevokeAgentCommand(_a.AgentId))).IsSuccess.ShouldBeTrue();
        await ShouldBeRefusedAndWriteNothing(() => AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.CheckIn, _a.AgentId, _a.Secret, ChangedReport()));
        using (var policy = await _http.SendAsync(AgentCalls.Authorized(HttpMethod.Get, AgentProtocol.Policy, _a.AgentId, _a.Secret)))
        {
            policy.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await policy.Content.ReadAsStringAsync()).ShouldContain("revoked");
        }
        // The other agent is unaffected.
        (await _http.CheckInAsync(_b.AgentId, _b.Secret, AgentCalls.Report("SERIAL-B", "02:00:00:00:00:0B", host: "mac-b"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await _http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync(), serial: "SERIAL-A", mac: "02:00:00:00:00:0A", host: "mac-a"));
        again.AgentId.ShouldBe(_a.AgentId);
        (await _http.CheckInAsync(again.AgentId, again.Secret, AgentCalls.Report("SERIAL-A", "02:00:00:00:00:0A", host: "mac-a"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Policy_results_and_catalogue_all_require_the_agent_credential()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, AgentProtocol.Policy), (HttpMethod.Post, AgentProtocol.Results), (HttpMethod.Get, "/api/agent/catalogue") })
        {
            using var response = await _http.SendAsync(new HttpRequestMessage(method, path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
        }
        using var wrong = await _http.SendAsync(AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.Results, _a.AgentId, _b.Secret,
            new WorkResult { WorkId = Guid.NewGuid(), Succeeded = true, FinishedAt = DateTimeOffset.UtcNow }));
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await using var db = await _core.Db.CreateDbContextAsync();
        (await db.AuditEntries.AnyAsync(a => a.EntityType == "AgentWorkResult")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_cookie_signed_in_console_user_is_not_an_agent()
    {
        // The agent endpoints accept only the CoreConsole-Agent scheme, whatever else the request carries.
        var request = new HttpRequestMessage(HttpMethod.Get, AgentProtocol.Policy);
        request.Headers.TryAddWithoutValidation("Cookie", "CoreConsole.Auth=forged");
        using var response = await _http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

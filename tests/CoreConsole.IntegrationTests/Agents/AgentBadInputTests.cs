using System.Net;
using System.Text;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>Bad bodies get a 400 (or 413) ProblemDetails that names the field, and change nothing.</summary>
public sealed class AgentBadInputTests : IAsyncLifetime
{
    private readonly AgentApiFactory _core = new();
    private HttpClient _http = null!;
    private EnrollResponse _agent = null!;

    public async ValueTask InitializeAsync()
    {
        _http = _core.CreateClient();
        _agent = await _http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync()));
        (await _http.CheckInAsync(_agent.AgentId, _agent.Secret, AgentCalls.Report())).EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private async Task<string> SnapshotAsync()
    {
        await _core.FlushHeartbeatsAsync();
        await using var db = await _core.Db.CreateDbContextAsync();
        var device = await db.Devices.AsNoTracking().SingleAsync();
        return $"{device.Model}|{device.HostName}|{device.Ipv4Interfaces}|{device.MacAddresses}|{device.LastSeenAt.UtcTicks}|{await db.Subnets.CountAsync()}|{await db.Devices.CountAsync()}";
    }

    private async Task<Dictionary<string, string[]>> ShouldBe400(CheckInRequest report)
    {
        var before = await SnapshotAsync();
        using var response = await _http.CheckInAsync(_agent.AgentId, _agent.Secret, report);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = await response.FieldErrorsAsync();
        (await SnapshotAsync()).ShouldBe(before);
        return errors;
    }

    [Theory]
    [InlineData("256.1.1.1", 24, "is not an IPv4 address")]
    [InlineData("10.0.1", 24, "is not an IPv4 address")]
    [InlineData("fe80::1", 64, "is not an IPv4 address")]
    [InlineData("0.0.0.0", 8, "0.0.0.0")]
    [InlineData("224.0.0.251", 24, "multicast")]
    [InlineData("255.255.255.255", 32, "reserved or broadcast")]
    public async Task Impossible_addresses_are_400_with_the_field_named(string address, int prefix, string message)
    {
        var errors = await ShouldBe400(AgentCalls.Report(address: address, prefix: prefix));
        errors.ShouldContainKey("ipv4[0].address");
        errors["ipv4[0].address"].ShouldContain(m => m.Contains(message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(-1)]
    public async Task Impossible_prefixes_are_400(int prefix)
    {
        var errors = await ShouldBe400(AgentCalls.Report(prefix: prefix));
        errors.ShouldContainKey("ipv4[0].prefixLength");
    }

    [Fact]
    public async Task Absurd_models_are_400()
    {
        (await ShouldBe400(AgentCalls.Report(model: new string('M', 500)))).ShouldContainKey("model");
        (await ShouldBe400(AgentCalls.Report(model: "MacBookPro14,1\u0000\u001b[31m"))).ShouldContainKey("model");
        (await ShouldBe400(AgentCalls.Report(model: ""))).ShouldContainKey("model");
    }

    [Fact]
    public async Task Too_many_or_malformed_macs_are_400()
    {
        var many = Enumerable.Range(0, 40).Select(i => $"02:00:00:00:01:{i:X2}").ToList();
        (await ShouldBe400(AgentCalls.Report() with { MacAddresses = many })).ShouldContainKey("macAddresses");
        (await ShouldBe400(AgentCalls.Report(mac: "not-a-mac"))).ShouldContainKey("macAddresses[0]");
    }

    [Fact]
    public async Task Malformed_json_is_400_naming_the_position_and_writes_nothing()
    {
        var before = await SnapshotAsync();
        foreach (var body in new[] { "{\"hostName\": ", "[1,2,3]", "{\"hostName\":\"x\",\"ipv4\":[{\"address\":\"10.0.0.1\",\"prefixLength\":\"wide\"}]}", "null", "{}" })
        {
            using var response = await _http.SendAsync(AgentCalls.RawJson(AgentProtocol.CheckIn, body, _agent.AgentId, _agent.Secret));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            var errors = await response.FieldErrorsAsync();
            errors.ShouldNotBeEmpty(body);
        }
        using (var typed = await _http.SendAsync(AgentCalls.RawJson(AgentProtocol.CheckIn,
                   "{\"hostName\":\"x\",\"osName\":\"macOS\",\"osVersion\":\"1\",\"model\":\"M\",\"agentVersion\":\"1\",\"ipv4\":[{\"address\":\"10.0.0.1\",\"prefixLength\":\"wide\"}]}",
                   _agent.AgentId, _agent.Secret)))
            (await typed.FieldErrorsAsync()).Keys.ShouldContain(k => k.Contains("prefixLength"));
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_writes_nothing()
    {
        var before = await SnapshotAsync();
        var huge = "{\"hostName\":\"" + new string('a', 70 * 1024) + "\"}";
        using var response = await _http.SendAsync(AgentCalls.RawJson(AgentProtocol.CheckIn, huge, _agent.AgentId, _agent.Secret));
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // Chunked (no Content-Length) is cut off at the limit too.
        var chunked = new HttpRequestMessage(HttpMethod.Post, AgentProtocol.CheckIn)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Authorization", AgentAuth.AgentAuthorization(_agent.AgentId, _agent.Secret));
        using var chunkedResponse = await _http.SendAsync(chunked);
        chunkedResponse.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_bad_enrolment_body_is_400_and_uses_no_token()
    {
        var token = await _core.CreateTokenAsync("once", maxUses: 1);
        using (var bad = await _http.SendAsync(AgentCalls.RawJson(AgentProtocol.Enroll,
                   $"{{\"token\":\"{token}\",\"hostName\":\"\",\"primaryMac\":\"zz\"}}")))
        {
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var errors = await bad.FieldErrorsAsync();
            errors.ShouldContainKey("hostName");
            errors.ShouldContainKey("primaryMac");
        }
        // The token was not consumed by the refused attempt.
        (await _http.EnrollAsync(AgentCalls.Enrolment(token, serial: "OTHER", mac: "02:00:00:00:00:99", host: "other"))).AgentId.ShouldNotBe(Guid.Empty);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "token=abc")]
    [InlineData("text/plain", "{}")]
    public async Task A_body_that_is_not_json_is_415_problem_details(string contentType, string body)
    {
        using var response = await _http.PostAsync(AgentProtocol.Enroll, new StringContent(body, Encoding.UTF8, contentType));
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("GET", "/api/agent/enroll")]
    [InlineData("POST", "/api/agent/no-such-call")]
    public async Task A_wrong_route_or_method_under_the_api_is_problem_details_not_the_console_page(string method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        ((int)response.StatusCode).ShouldBeOneOf(404, 405);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("{}", "$", "Missing required properties")]
    [InlineData("{\"token\":5,\"hostName\":\"h\"}", "$.token", "The value is not a string.")]
    public async Task Json_errors_speak_json_and_name_no_dotnet_types(string body, string field, string message)
    {
        using var response = await _http.SendAsync(AgentCalls.RawJson(AgentProtocol.Enroll, body));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("CoreConsole.");
        text.ShouldNotContain("System.");
        (await response.FieldErrorsAsync())[field].ShouldContain(m => m.StartsWith(message, StringComparison.Ordinal));
    }
}

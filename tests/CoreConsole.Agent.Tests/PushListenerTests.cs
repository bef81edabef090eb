using System.Net;
using System.Text;
using System.Text.Json;
using CoreConsole.Agent.Push;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.Agent.Tests;

public sealed class PushListenerTests : IAsyncLifetime
{
    private readonly Guid _agentId = Guid.NewGuid();
    private readonly byte[] _pushKey = AgentAuth.DerivePushKey(AgentAuth.GenerateSecret());
    private readonly List<PushRequest> _handled = [];
    private readonly HttpClient _http = new();
    private PushListener _listener = null!;

    public async ValueTask InitializeAsync()
    {
        _listener = await PushListener.StartAsync(
            new IPEndPoint(IPAddress.Loopback, 0), null,
            id => id == _agentId ? _pushKey : null,
            (_, request, _) =>
            {
                lock (_handled) _handled.Add(request);
                return Task.FromResult(new PushResponse { Accepted = true, Message = "ok" });
            },
            NullLogger.Instance, cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _listener.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, Action<HttpRequestMessage>? sign)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_listener.Url, AgentProtocol.Push)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        sign?.Invoke(request);
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static byte[] Body(PushKind kind) => JsonSerializer.SerializeToUtf8Bytes(new PushRequest { Kind = kind }, AgentProtocol.JsonOptions);

    [Fact]
    public void The_listener_reports_the_port_it_actually_bound()
    {
        _listener.Url.Host.ShouldBe("127.0.0.1");
        _listener.Url.Port.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_correctly_signed_push_is_handled_and_answered()
    {
        var body = Body(PushKind.CheckInNow);
        using var response = await PostAsync(body, r => AgentAuth.SignPush(r, _agentId, _pushKey, body, DateTimeOffset.UtcNow));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reply = JsonSerializer.Deserialize<PushResponse>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), AgentProtocol.JsonOptions)!;
        reply.Accepted.ShouldBeTrue();
        _handled.Single().Kind.ShouldBe(PushKind.CheckInNow);
    }

    [Fact]
    public async Task An_unsigned_push_is_refused_with_401()
    {
        using var response = await PostAsync(Body(PushKind.CheckInNow), null);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _handled.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_push_signed_with_the_wrong_key_is_refused_with_401()
    {
        var body = Body(PushKind.ApplySettings);
        var wrongKey = AgentAuth.DerivePushKey(AgentAuth.GenerateSecret());
        using var response = await PostAsync(body, r => AgentAuth.SignPush(r, _agentId, wrongKey, body, DateTimeOffset.UtcNow));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _handled.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_push_whose_body_differs_from_the_signed_one_is_refused_with_401()
    {
        var signed = Body(PushKind.CheckInNow);
        using var response = await PostAsync(Body(PushKind.ApplySettings), r => AgentAuth.SignPush(r, _agentId, _pushKey, signed, DateTimeOffset.UtcNow));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_stale_push_is_refused_with_401()
    {
        var body = Body(PushKind.CheckInNow);
        using var response = await PostAsync(body, r => AgentAuth.SignPush(r, _agentId, _pushKey, body, DateTimeOffset.UtcNow.AddMinutes(-6)));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_replayed_push_is_refused_with_401()
    {
        var body = Body(PushKind.CheckInNow);
        var now = DateTimeOffset.UtcNow;
        using var first = await PostAsync(body, r => AgentAuth.SignPush(r, _agentId, _pushKey, body, now));
        using var replay = await PostAsync(body, r => AgentAuth.SignPush(r, _agentId, _pushKey, body, now));
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _handled.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_push_for_an_unknown_agent_is_refused_with_401()
    {
        var body = Body(PushKind.CheckInNow);
        using var response = await PostAsync(body, r => AgentAuth.SignPush(r, Guid.NewGuid(), _pushKey, body, DateTimeOffset.UtcNow));
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

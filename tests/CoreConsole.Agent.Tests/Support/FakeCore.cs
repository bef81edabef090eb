using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Tests.Support;

/// <summary>The agent API implemented just enough for the agent's tests, on 127.0.0.1 with a free port.</summary>
internal sealed class FakeCore : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, (string SecretHash, byte[] PushKey)> _agents = new();

    private FakeCore(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }
    public const string Token = "test-token";

    private volatile bool _down;

    /// <summary>While true every connection is dropped, as if the core were unreachable.</summary>
    public bool Down { get => _down; set => _down = value; }
    public SettingRevision? Desired { get; set; }
    public RepresentativeRole? Role { get; set; }
    public int NextCheckInSeconds { get; set; } = 1;
    public ConcurrentQueue<PolicyWorkItem> Policy { get; } = new();
    public ConcurrentQueue<CheckInRequest> CheckIns { get; } = new();
    public ConcurrentQueue<WorkResult> ReportedResults { get; } = new();
    /// <summary>Work ids the core answers 404 for (as the real core does for work it no longer has).</summary>
    public ConcurrentDictionary<Guid, bool> UnknownWork { get; } = new();
    public int Unauthorized;

    /// <summary>Served at <see cref="CataloguePath"/>; its version goes into check-in replies that carry a role.</summary>
    public CatalogueDocument? Catalogue { get; set; }
    public const string CataloguePath = "/api/agent/catalogue";
    /// <summary>The NBI share: GET /share/{path}.</summary>
    public ConcurrentDictionary<string, byte[]> ShareFiles { get; } = new(StringComparer.Ordinal);
    /// <summary>Each share download pauses this long halfway through, so a test can watch sync progress.</summary>
    public TimeSpan ShareDelay { get; set; }
    /// <summary>Environment.TickCount64 when the last check-in arrived (the core grants leases from then).</summary>
    public long LastCheckInTickCount;

    public static async Task<FakeCore> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeCore? core = null;
        app.Use(async (context, next) =>
        {
            if (core!.Down) { context.Abort(); return; }
            await next(context);
        });
        app.MapPost(AgentProtocol.Enroll, (Delegate)((EnrollRequest request) => core!.Enroll(request)));
        app.MapPost(AgentProtocol.CheckIn, (Delegate)((HttpContext context, CheckInRequest request) => core!.CheckIn(context, request)));
        app.MapGet(AgentProtocol.Policy, (Delegate)((HttpContext context) => core!.GetPolicy(context)));
        app.MapPost(AgentProtocol.Results, (Delegate)((HttpContext context, WorkResult result) => core!.PostResult(context, result)));
        app.MapGet(CataloguePath, (Delegate)((HttpContext context) => core!.GetCatalogue(context)));
        app.MapGet("/share/{**path}", (RequestDelegate)(context => core!.GetShareFileAsync(context, (string)context.Request.RouteValues["path"]!)));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        core = new FakeCore(app, new Uri(address));
        return core;
    }

    private IResult Enroll(EnrollRequest request)
    {
        if (request.Token != Token) return Results.Unauthorized();
        var secret = AgentAuth.GenerateSecret();
        var agentId = Guid.NewGuid();
        _agents[agentId] = (AgentAuth.HashSecret(secret), AgentAuth.DerivePushKey(secret));
        return Json(new EnrollResponse { AgentId = agentId, Secret = secret, CheckInIntervalSeconds = NextCheckInSeconds, CoreTime = DateTimeOffset.UtcNow });
    }

    private IResult CheckIn(HttpContext context, CheckInRequest request)
    {
        if (Authenticate(context) is null) return Results.Unauthorized();
        CheckIns.Enqueue(request);
        Interlocked.Exchange(ref LastCheckInTickCount, Environment.TickCount64);
        var role = Role;
        return Json(new CheckInResponse
        {
            DesiredSettingRevision = Desired,
            Role = role,
            Catalogue = role is null ? null : new CatalogueReference { Version = Catalogue?.Version ?? "v1", Url = CataloguePath },
            PendingPolicyCount = Policy.Count(p => ReportedResults.All(r => r.WorkId != p.WorkId)),
            NextCheckInSeconds = NextCheckInSeconds,
            CoreTime = DateTimeOffset.UtcNow,
        });
    }

    private IResult GetPolicy(HttpContext context) =>
        Authenticate(context) is null
            ? Results.Unauthorized()
            : Json(new PolicyResponse { Items = Policy.Where(p => ReportedResults.All(r => r.WorkId != p.WorkId)).ToList(), CoreTime = DateTimeOffset.UtcNow });

    private IResult PostResult(HttpContext context, WorkResult result)
    {
        if (Authenticate(context) is null) return Results.Unauthorized();
        if (UnknownWork.ContainsKey(result.WorkId)) return Results.Problem(statusCode: 404, title: "Unknown work item");
        ReportedResults.Enqueue(result);
        return Json(new WorkResultAck(true));
    }

    private IResult GetCatalogue(HttpContext context) =>
        Authenticate(context) is null ? Results.Unauthorized() : Catalogue is { } catalogue ? Json(catalogue) : Results.NotFound();

    private async Task GetShareFileAsync(HttpContext context, string path)
    {
        if (!ShareFiles.TryGetValue(path, out var bytes))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = bytes.Length;
        int half = bytes.Length / 2;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, half), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (ShareDelay > TimeSpan.Zero) await Task.Delay(ShareDelay, context.RequestAborted);
        await context.Response.Body.WriteAsync(bytes.AsMemory(half), context.RequestAborted);
    }

    private Guid? Authenticate(HttpContext context)
    {
        if (AgentAuth.TryParseAuthorization(context.Request.Headers.Authorization, AgentAuth.AgentScheme, out var agentId, out var secret)
            && _agents.TryGetValue(agentId, out var agent) && AgentAuth.VerifySecret(secret, agent.SecretHash))
            return agentId;
        Interlocked.Increment(ref Unauthorized);
        return null;
    }

    /// <summary>Sends a signed push to an enrolled agent's listener.</summary>
    public async Task<(HttpStatusCode Status, PushResponse? Response)> PushAsync(Guid agentId, string pushUrl, PushRequest request)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, AgentProtocol.JsonOptions);
        using var message = new HttpRequestMessage(HttpMethod.Post, pushUrl + AgentProtocol.Push) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new("application/json");
        AgentAuth.SignPush(message, agentId, _agents[agentId].PushKey, body, DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        var reply = response.IsSuccessStatusCode
            ? JsonSerializer.Deserialize<PushResponse>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), AgentProtocol.JsonOptions)
            : null;
        return (response.StatusCode, reply);
    }

    private static IResult Json<T>(T value) => Results.Json(value, AgentProtocol.JsonOptions);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

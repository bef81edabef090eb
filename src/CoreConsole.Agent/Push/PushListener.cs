using System.Net;
using System.Text.Json;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Push;

/// <summary>Handles a verified push for one agent.</summary>
public delegate Task<PushResponse> PushHandler(Guid agentId, PushRequest request, CancellationToken cancellationToken);

/// <summary>
/// A minimal Kestrel endpoint, POST /push, that accepts only requests signed by the core for a known agent (401 otherwise).
/// Port 0 binds a free port; <see cref="Url"/> is then what to advertise as pushUrl.
/// </summary>
public sealed class PushListener : IAsyncDisposable
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly WebApplication _app;

    private PushListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary><c>http://address:port</c> actually bound (an unspecified bind address is replaced by <paramref name="advertisedAddress"/>).</summary>
    public Uri Url { get; }

    public static async Task<PushListener> StartAsync(
        IPEndPoint bind, IPAddress? advertisedAddress, Func<Guid, byte[]?> pushKeyFor, PushHandler handler,
        ILogger logger, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var clock = time ?? TimeProvider.System;
        var replayGuard = new PushReplayGuard();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(bind);
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        var app = builder.Build();
        Func<HttpContext, Task<IResult>> endpoint = context => HandleAsync(context, pushKeyFor, handler, replayGuard, clock, logger);
        app.MapPost(AgentProtocol.Push, (Delegate)endpoint);
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(bound).Port;
        var host = bind.Address.Equals(IPAddress.Any) || bind.Address.Equals(IPAddress.IPv6Any)
            ? advertisedAddress ?? IPAddress.Loopback
            : bind.Address;
        return new PushListener(app, new Uri($"http://{host}:{port}"));
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, Func<Guid, byte[]?> pushKeyFor, PushHandler handler, PushReplayGuard replayGuard, TimeProvider clock, ILogger logger)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();

        var verdict = AgentAuth.VerifyPush(
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            context.Request.Headers[AgentAuth.TimestampHeader].ToString() is { Length: > 0 } ts ? ts : null,
            body, pushKeyFor, clock.GetUtcNow(), replayGuard, out var agentId);
        if (verdict != PushVerification.Valid)
        {
            logger.LogWarning("Refused push from {Remote}: {Verdict}", context.Connection.RemoteIpAddress, verdict);
            return Results.Unauthorized();
        }

        PushRequest? request;
        try { request = JsonSerializer.Deserialize<PushRequest>(body, AgentProtocol.JsonOptions); }
        catch (JsonException e) { return Results.BadRequest(e.Message); }
        if (request is null) return Results.BadRequest("empty body");

        var response = await handler(agentId, request, context.RequestAborted);
        return Results.Json(response, AgentProtocol.JsonOptions);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

using System.Net;
using System.Text.Json;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoreConsole.FleetSimulator;

/// <summary>One Kestrel listener for the whole fleet: the agent id in the signed Authorization header picks the agent.</summary>
internal static class FleetPushListener
{
    public static async Task<WebApplication> StartAsync(int port, IReadOnlyDictionary<Guid, SimulatedAgent> agents, CancellationToken cancellationToken)
    {
        var replayGuard = new PushReplayGuard();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Any, port)); // every 127.x address reaches it on Linux
        var app = builder.Build();
        Func<HttpContext, Task<IResult>> push = async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            var verdict = AgentAuth.VerifyPush(
                context.Request.Headers.Authorization.ToString(), context.Request.Headers[AgentAuth.TimestampHeader].ToString(), body,
                id => agents.TryGetValue(id, out var agent) ? agent.PushKey : null, DateTimeOffset.UtcNow, replayGuard, out var agentId);
            if (verdict != PushVerification.Valid) return Results.Unauthorized();
            var request = JsonSerializer.Deserialize<PushRequest>(body, AgentProtocol.JsonOptions);
            return request is null ? Results.BadRequest() : Results.Json(agents[agentId].OnPush(request), AgentProtocol.JsonOptions);
        };
        app.MapPost(AgentProtocol.Push, (Delegate)push);
        await app.StartAsync(cancellationToken);
        return app;
    }
}

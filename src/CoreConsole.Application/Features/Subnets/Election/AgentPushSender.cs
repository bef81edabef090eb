using System.Net.Http.Headers;
using System.Text.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>Asks an agent to check in now, so an election lands in seconds instead of at its next scheduled check-in.</summary>
public interface IAgentCheckInNudger
{
    /// <summary>Fire and forget: never throws, never blocks the caller on the network.</summary>
    void CheckInNow(Guid agentId, string reason);
}

/// <summary>Signed <see cref="PushKind.CheckInNow"/> push (<see cref="AgentAuth.SignPush"/> with the agent's push key) to its push URL.</summary>
public sealed partial class AgentCheckInNudger(
    IDbContextFactory<AppDbContext> dbFactory, IHttpClientFactory httpClients, TimeProvider clock, ILogger<AgentCheckInNudger> logger)
    : IAgentCheckInNudger
{
    public const string HttpClientName = "agent-push";

    public void CheckInNow(Guid agentId, string reason) => _ = Task.Run(() => SendAsync(agentId, reason));

    public async Task<bool> SendAsync(Guid agentId, string reason)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var agent = await db.Agents.AsNoTracking().Where(a => a.Id == agentId)
                .Select(a => new { a.PushUrl, a.PushKey, a.RevokedAt }).FirstOrDefaultAsync();
            if (agent?.PushUrl is null || agent.PushKey.Length == 0 || agent.RevokedAt is not null) return false;

            var body = JsonSerializer.SerializeToUtf8Bytes(new PushRequest { Kind = PushKind.CheckInNow }, AgentProtocol.JsonOptions);
            using var request = new HttpRequestMessage(HttpMethod.Post, agent.PushUrl.TrimEnd('/') + AgentProtocol.Push)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            AgentAuth.SignPush(request, agentId, agent.PushKey, body, clock.GetUtcNow());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            LogPushed(agentId, reason, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e)
        {
            // The agent still learns at its next scheduled check-in; a failed push only costs time.
            LogPushFailed(agentId, reason, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "CheckInNow push to agent {AgentId} ({Reason}): HTTP {Status}")]
    private partial void LogPushed(Guid agentId, string reason, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "CheckInNow push to agent {AgentId} ({Reason}) failed: {Error}")]
    private partial void LogPushFailed(Guid agentId, string reason, string error);
}

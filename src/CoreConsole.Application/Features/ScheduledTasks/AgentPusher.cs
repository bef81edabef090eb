using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>Knobs for task execution; "ScheduledTasks" in configuration.</summary>
public sealed class TaskExecutionOptions
{
    /// <summary>One push call, connect to reply.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Push calls per target before it is Offline (or left to policy).</summary>
    public int MaxPushAttempts { get; set; } = 3;
    /// <summary>First retry delay; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Pushes in flight at once.</summary>
    public int MaxParallelPushes { get; set; } = 64;
    /// <summary>A target Active (or due for a retry) this long without news is swept to an explicit state.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public enum PushOutcomeKind
{
    /// <summary>The agent installed the revision.</summary>
    Applied,
    /// <summary>The agent accepted a check-in request (a portal offer will reach it through policy).</summary>
    Acknowledged,
    /// <summary>The agent answered and said no; retrying will not help.</summary>
    Rejected,
    /// <summary>No usable answer (refused, timed out, 5xx): worth retrying.</summary>
    Transient,
}

public sealed record PushOutcome(PushOutcomeKind Kind, string? Message = null, Guid? AppliedRevisionId = null);

/// <summary>Signs and sends one push to one agent's listener and classifies the answer. Never throws for network trouble.</summary>
public sealed class AgentPusher : IDisposable
{
    private readonly HttpClient _http;
    private readonly TaskExecutionOptions _options;
    private readonly TimeProvider _clock;

    public AgentPusher(IOptions<TaskExecutionOptions> options, TimeProvider clock, HttpMessageHandler? handler = null)
    {
        _options = options.Value;
        _clock = clock;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, _options.PushTimeout.TotalSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 8,
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<PushOutcome> PushAsync(Guid agentId, string pushUrl, byte[] pushKey, PushRequest request, CancellationToken ct)
    {
        if (!Uri.TryCreate(pushUrl.TrimEnd('/') + AgentProtocol.Push, UriKind.Absolute, out var uri))
            return new PushOutcome(PushOutcomeKind.Rejected, $"The agent's push URL '{pushUrl}' is not a URL.");
        var body = JsonSerializer.SerializeToUtf8Bytes(request, AgentProtocol.JsonOptions);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        AgentAuth.SignPush(message, agentId, pushKey, body, _clock.GetUtcNow());

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.PushTimeout);
        try
        {
            using var response = await _http.SendAsync(message, timeout.Token);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                return new PushOutcome(PushOutcomeKind.Rejected, "The agent refused the core's signature; re-enrol it.");
            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                return new PushOutcome(PushOutcomeKind.Transient, $"The agent answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (!response.IsSuccessStatusCode)
                return new PushOutcome(PushOutcomeKind.Rejected, $"The agent answered {(int)response.StatusCode} {response.ReasonPhrase}.");

            var reply = await response.Content.ReadFromJsonAsync<PushResponse>(AgentProtocol.JsonOptions, timeout.Token);
            if (reply is null) return new PushOutcome(PushOutcomeKind.Transient, "The agent sent an empty reply.");
            if (!reply.Accepted) return new PushOutcome(PushOutcomeKind.Rejected, reply.Message ?? "The agent did not accept the push.");
            if (request.Kind != PushKind.ApplySettings) return new PushOutcome(PushOutcomeKind.Acknowledged, reply.Message);
            return reply.AppliedRevisionId == request.SettingRevision?.Id
                ? new PushOutcome(PushOutcomeKind.Applied, reply.Message, reply.AppliedRevisionId)
                : new PushOutcome(PushOutcomeKind.Rejected, $"The agent reports revision {reply.AppliedRevisionId?.ToString() ?? "none"} installed, not the pushed one.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PushOutcome(PushOutcomeKind.Transient, $"No reply within {_options.PushTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new PushOutcome(PushOutcomeKind.Transient, e.InnerException?.Message ?? e.Message);
        }
        catch (JsonException e)
        {
            return new PushOutcome(PushOutcomeKind.Transient, $"Unreadable reply: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.Running;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Push;

/// <summary>Where the push listener binds; null <see cref="Bind"/> = no listener.</summary>
public sealed record PushListenOptions(IPEndPoint? Bind);

/// <summary>Runs the push listener for the enrolled agent and publishes its URL before the check-in loop starts.</summary>
public sealed class PushListenerService(
    PushListenOptions options,
    AgentStateStore store,
    InventoryCollector inventory,
    AgentPushHandler handler,
    PushEndpoint endpoint,
    ILogger<PushListenerService> logger) : IHostedService
{
    private PushListener? _listener;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Bind is null) return;
        var state = store.Load();
        var pushKey = AgentAuth.DerivePushKey(state.Secret); // re-enrolment restarts the service, so caching is safe
        var advertised = inventory.AdvertisedIpv4().Select(a => IPAddress.Parse(a.Address)).FirstOrDefault();
        _listener = await PushListener.StartAsync(
            options.Bind, advertised,
            agentId => agentId == state.AgentId ? pushKey : null,
            (_, request, ct) => handler.HandleAsync(state.AgentId, request, ct),
            logger, cancellationToken: cancellationToken);
        endpoint.Url = _listener.Url.ToString().TrimEnd('/');
        logger.LogInformation("Push listener on {Url}", endpoint.Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null) await _listener.DisposeAsync();
    }
}

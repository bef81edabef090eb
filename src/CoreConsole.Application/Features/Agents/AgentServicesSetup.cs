using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoreConsole.Application.Features.Agents;

public static class AgentServicesSetup
{
    /// <summary>
    /// The agent API's application services. The seams (election, desired settings, policy, work results, catalogue) are added
    /// with TryAdd: a feature that implements one registers it with <c>services.Replace(...)</c> (or before this call) and wins.
    /// </summary>
    public static IServiceCollection AddAgentServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AgentApiOptions>();
        services.TryAddSingleton<Common.Persistence.WriteGate>();
        services.TryAddSingleton<AgentCredentialCache>();
        services.TryAddSingleton<AgentStateCache>();
        services.TryAddSingleton<HeartbeatBuffer>();
        services.TryAddSingleton<SubnetDirectory>();
        // Scoped, so seam implementations may be scoped or singleton.
        services.TryAddScoped<RecordCheckIn>();
        services.TryAddSingleton<HeartbeatFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatFlusher>());

        services.TryAddSingleton<IElectionService, NoElectionService>();
        services.TryAddSingleton<IDesiredSettingsSource, NoDesiredSettingsSource>();
        services.TryAddSingleton<IAgentPolicySource, NoAgentPolicySource>();
        services.TryAddSingleton<IRepresentativeCatalogueSource, NoRepresentativeCatalogueSource>();
        return services;
    }
}

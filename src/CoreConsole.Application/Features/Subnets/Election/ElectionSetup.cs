using CoreConsole.Application.Features.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Features.Subnets.Election;

public static class ElectionSetup
{
    /// <summary>Election engine (timing from the "Election" section), the DB-backed election, CheckInNow pushes and the sweep.</summary>
    public static IServiceCollection AddSubnetElection(this IServiceCollection services)
    {
        services.AddOptions<ElectionOptions>().BindConfiguration(ElectionOptions.Section);
        services.AddSingleton(sp => new ElectionEngine(sp.GetRequiredService<IOptions<ElectionOptions>>().Value));
        services.AddHttpClient(AgentCheckInNudger.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5)); // a nudge is best effort
        services.AddSingleton<IAgentCheckInNudger, AgentCheckInNudger>();
        services.AddSingleton<SubnetServiceSnapshot>();
        services.AddSingleton<SubnetElection>();
        services.RemoveAll<IElectionService>();
        services.AddSingleton<IElectionService>(sp => sp.GetRequiredService<SubnetElection>());
        services.AddHostedService<ElectionSweeper>();
        return services;
    }
}

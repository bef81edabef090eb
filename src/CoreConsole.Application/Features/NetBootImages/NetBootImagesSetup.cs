using CoreConsole.Application.Common.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Application.Features.NetBootImages;

public static class NetBootImagesSetup
{
    public static IServiceCollection AddNetBootImages(this IServiceCollection services)
    {
        // Shares are on the LAN; a share that does not answer in 15 s is reported as not answering.
        services.AddHttpClient(NbiShareReader.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(15);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("CoreConsole-NbiBrowser/1.0");
        });
        services.AddHttpClient(NotifyCatalogueHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<NbiShareReader>();
        services.AddSingleton<NbiHealthSchedule>();
        // Registered before AddAgentServices' TryAdd default, so the agent API serves the published catalogue.
        services.AddSingleton<Agents.IRepresentativeCatalogueSource, PublishedCatalogueSource>();
        services.AddScoped<IWorkItemHandler, NbiHealthHandler>();
        services.AddScoped<IWorkItemHandler, NotifyCatalogueHandler>();
        return services;
    }
}

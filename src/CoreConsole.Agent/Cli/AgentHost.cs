using System.Net;
using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.Policy;
using CoreConsole.Agent.Push;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.Running;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Cli;

/// <summary>Composition root of <c>run</c>: a generic host that also runs as a systemd or Windows service.</summary>
public static class AgentHost
{
    public static IHost Build(AgentStateStore store, IPEndPoint? pushBind, Action<IServiceCollection>? configure = null, RepresentativeOptions? representative = null)
    {
        var state = store.Load();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();        // no-op unless started by systemd (Type=notify, journald log format)
        builder.Services.AddWindowsService(); // no-op unless started by the Windows SCM
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning); // one line per request is noise for an agent
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var services = builder.Services;
        services.AddSingleton(store);
        services.AddSingleton(new InventoryCollector(state.Overrides, store.Directory));
        services.AddHttpClient<AgentCoreClient>(http =>
        {
            http.BaseAddress = new Uri(state.CoreUrl);
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        services.AddSingleton<SettingsApplier>(_ => new SettingsApplier(store));
        services.AddSingleton<PolicyProcessor>();
        services.AddTransient<ResultReporter>();
        services.AddSingleton<LeaseTracker>(_ => new LeaseTracker());
        services.AddSingleton<WakeSignal>();
        services.AddSingleton<PushEndpoint>();
        services.AddSingleton<AgentPushHandler>();
        // Elected: sync the catalogue's files, then serve BSDP + TFTP (CoreConsole.NetBoot) until the lease ends.
        services.AddHttpClient(NetBootRepresentativeService.FilesHttpClient, http => http.Timeout = TimeSpan.FromMinutes(30));
        services.AddSingleton(representative ?? new RepresentativeOptions());
        services.AddSingleton<NetBootRepresentativeService>();
        services.AddSingleton<IRepresentativeService>(sp => sp.GetRequiredService<NetBootRepresentativeService>());
        services.AddSingleton(new PushListenOptions(pushBind));
        // Registration order is start order: the listener must be bound before the first check-in advertises it.
        services.AddHostedService<PushListenerService>();
        services.AddSingleton<CheckInLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckInLoop>());
        configure?.Invoke(services);
        return builder.Build();
    }
}

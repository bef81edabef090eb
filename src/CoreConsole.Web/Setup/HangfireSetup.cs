using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.SqlServer;

namespace CoreConsole.Web.Setup;

internal static class HangfireSetup
{
    public static IServiceCollection AddCoreConsoleJobs(this IServiceCollection services, IConfiguration config, DatabaseInfo db)
    {
        // The database is the truth (WorkItem rows); Hangfire's own store only executes. In-memory is enough for the
        // embedded default because WorkItemReconciler re-enqueues unfinished rows at start-up.
        // Storage and activator are this host's own singletons: AddHangfire would otherwise hand out the process-wide
        // JobStorage.Current / JobActivator.Current, so two hosts in one process (tests, a second console) would run each
        // other's jobs against the wrong container.
        services.AddSingleton<JobStorage>(_ => db.Provider == DatabaseProvider.SqlServer
            ? new SqlServerStorage(db.ConnectionString)
            : new InMemoryStorage(new InMemoryStorageOptions()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c =>
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        if (config.GetValue("Hangfire:Server:Enabled", true))
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = config.GetValue("Hangfire:Server:Workers", Math.Max(4, Environment.ProcessorCount * 4));
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                // Work is a database row first, so a job cut short at shutdown is picked up again; don't hold the host up.
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });
        return services;
    }

    public static void MapCoreConsoleJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            DashboardTitle = "CoreConsole jobs",
            AppPath = "/work-items",
        });

    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Administrator);
        }
    }
}

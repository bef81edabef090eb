using CoreConsole.Application.Common.Jobs;
using FluentValidation;
using CoreConsole.Application.Features.Subnets.Election;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Application;

public static class ApplicationSetup
{
    /// <summary>Validators, the work queue and job handlers. The mediator itself is generated in the host project.</summary>
    public static IServiceCollection AddCoreConsoleApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssembly(typeof(ApplicationSetup).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkQueue>();
        services.AddSingleton<Features.Dashboard.FleetActivity>();
        services.AddSingleton<Features.Users.UserAccounts>();
        services.AddOptions<WorkItemRunnerOptions>();
        services.AddScoped<WorkItemRunner>();
        services.AddHostedService<WorkItemReconciler>();
        services.AddSubnetElection();
        Features.NetBootImages.NetBootImagesSetup.AddNetBootImages(services);
        Features.ScheduledTasks.ScheduledTasksSetup.AddAgentSettingsAndTasks(services);
        return services;
    }
}

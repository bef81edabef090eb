using CoreConsole.Application.Common.Jobs;
using FluentValidation;
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
        services.AddSingleton<Features.Users.UserAccounts>();
        services.AddScoped<WorkItemRunner>();
        services.AddHostedService<WorkItemReconciler>();
        Features.ScheduledTasks.ScheduledTasksSetup.AddAgentSettingsAndTasks(services);
        return services;
    }
}

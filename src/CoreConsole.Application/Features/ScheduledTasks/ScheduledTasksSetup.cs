using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Features.AgentSettings;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Application.Features.ScheduledTasks;

public static class ScheduledTasksSetup
{
    /// <summary>Agent settings (default seeding, desired revision) and task execution (runner, pusher, sweep, agent work).</summary>
    public static IServiceCollection AddAgentSettingsAndTasks(this IServiceCollection services)
    {
        services.AddOptions<TaskExecutionOptions>().BindConfiguration("ScheduledTasks");
        services.AddSingleton<DefaultAgentSettingSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<DefaultAgentSettingSeeder>());
        services.AddSingleton<DesiredSettings>();
        services.AddSingleton<Agents.IDesiredSettingsSource>(sp => sp.GetRequiredService<DesiredSettings>());
        services.AddSingleton<AgentPusher>();
        services.AddSingleton<TaskRunner>();
        services.AddSingleton<AgentTaskWork>();
        services.AddSingleton<Agents.IAgentPolicySource>(sp => sp.GetRequiredService<AgentTaskWork>());
        services.AddSingleton<Agents.IAgentWorkResults>(sp => sp.GetRequiredService<AgentTaskWork>());
        services.AddSingleton<IWorkItemHandler, TaskOccurrenceWorkHandler>();
        services.AddSingleton<IWorkItemHandler, TaskDispatchWorkHandler>();
        services.AddSingleton<TaskTargetSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskTargetSweeper>());
        return services;
    }
}

using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

internal static class TaskTestSupport
{
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>A profile with SESS and PXE on; returns its current revision id.</summary>
    public static async Task<Guid> CreatePxeProfileAsync(TasksAppFactory app, string name)
    {
        var id = await app.OkAsync(new CreateAgentSettingCommand(name, null, true, true, 60, 900));
        return await app.DbAsync(db => db.AgentSettings.Where(s => s.Id == id).Select(s => s.CurrentRevisionId).FirstAsync());
    }

    public static async Task<Guid> SubnetIdAsync(TasksAppFactory app, string cidr) =>
        await app.DbAsync(db => db.Subnets.Where(s => s.Cidr == cidr).Select(s => s.Id).FirstAsync());

    public static CreateScheduledTaskCommand NowTask(string name, Guid revisionId, TaskDelivery delivery, PortalMode portal, params TargetRef[] targets) =>
        new(name, revisionId, delivery, portal, targets, TaskScheduleKind.Now, null, null, "UTC");

    public static Task<Dictionary<Guid, TaskTargetResult>> TargetsAsync(TasksAppFactory app, Guid taskId) =>
        app.DbAsync(db => db.TaskTargetResults.AsNoTracking().Where(r => r.TaskId == taskId).ToDictionaryAsync(r => r.AgentId));
}

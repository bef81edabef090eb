using CoreConsole.Application.Features.ScheduledTasks;
using MudBlazor;

namespace CoreConsole.Web.Features.ScheduledTasks;

/// <summary>Labels and colours for target and task states, shared by the list and the detail page.</summary>
internal static class TaskStateView
{
    public static readonly TargetState[] Order =
    [
        TargetState.Succeeded, TargetState.Active, TargetState.Pending, TargetState.FailedRetrying, TargetState.WaitingForPolicy,
        TargetState.Offline, TargetState.Failed, TargetState.Cancelled,
    ];

    public static string Label(TargetState s) => s switch
    {
        TargetState.FailedRetrying => "Failed (retrying)",
        TargetState.WaitingForPolicy => "Waiting for policy",
        _ => s.ToString(),
    };

    public static Color Color(TargetState s) => s switch
    {
        TargetState.Succeeded => MudBlazor.Color.Success,
        TargetState.Active => MudBlazor.Color.Info,
        TargetState.FailedRetrying => MudBlazor.Color.Warning,
        TargetState.WaitingForPolicy => MudBlazor.Color.Secondary,
        TargetState.Offline => MudBlazor.Color.Dark,
        TargetState.Failed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    public static Color Color(ScheduledTaskState s) => s switch
    {
        ScheduledTaskState.Running => MudBlazor.Color.Info,
        ScheduledTaskState.Completed => MudBlazor.Color.Success,
        ScheduledTaskState.Cancelled => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Primary,
    };

    public static string Delivery(TaskDelivery d) => d switch
    {
        TaskDelivery.PolicySupportedPush => "Policy-supported push",
        _ => d.ToString(),
    };
}

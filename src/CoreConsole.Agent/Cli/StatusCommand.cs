using System.CommandLine;

namespace CoreConsole.Agent.Cli;

/// <summary><c>status</c>: what the state file says — enrolment, core, last check-in, installed revision, role.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("status", "Show enrolment, last check-in, installed settings and role") { dataDir };
        command.SetAction(parseResult =>
        {
            var store = CommonOptions.Store(parseResult, dataDir);
            var state = store.TryLoad();
            if (state is not { IsEnrolled: true })
            {
                Console.WriteLine($"Not enrolled (no state in {store.Directory}).");
                return 1;
            }
            Console.WriteLine($"Agent:        {state.AgentId} (enrolled {state.EnrolledAt:u})");
            Console.WriteLine($"Core:         {state.CoreUrl}");
            Console.WriteLine($"Last check-in: {(state.LastCheckInAt is { } at ? at.ToString("u") : "never")}{(state.LastCheckInError is { } error ? $" (last attempt failed: {error})" : "")}");
            Console.WriteLine($"Push URL:     {state.LastPushUrl ?? "none"}");
            Console.WriteLine(state.InstalledRevisionId is { } revision
                ? $"Settings:     revision {state.InstalledRevisionNumber} ({revision}): SESS {OnOff(state.InstalledSettings?.EnableSubnetServices)}, PXE {OnOff(state.InstalledSettings?.EnablePxe)}, check-in {state.InstalledSettings?.CheckInIntervalSeconds} s, policy {state.InstalledSettings?.PolicyIntervalSeconds} s"
                : "Settings:     none installed");
            Console.WriteLine(state.LastRole is { } role
                ? $"Role:         representative for {role.Subnet} ({role.Service}), term {role.Term}, lease until {role.LeaseExpiresAt:u} (core clock)"
                : "Role:         none");
            Console.WriteLine($"Portal:       {state.PortalOffers.Count} offer(s); {state.AppliedWork.Count(w => !w.Reported)} result(s) not yet reported");
            return 0;
        });
        return command;
    }

    private static string OnOff(bool? value) => value == true ? "on" : "off";
}

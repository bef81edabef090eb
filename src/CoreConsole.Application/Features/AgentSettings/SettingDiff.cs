using CoreConsole.Contracts.Agents;

namespace CoreConsole.Application.Features.AgentSettings;

/// <summary>One field that differs between two sets of agent setting values.</summary>
public sealed record SettingChange(string Field, string? Before, string After);

/// <summary>Field-by-field comparison of agent settings, for the revision diff and the task dry run.</summary>
public static class SettingDiff
{
    /// <summary>Every field whose value differs; with no <paramref name="before"/> (nothing installed yet) every field is a change.</summary>
    public static IReadOnlyList<SettingChange> Between(AgentSettingValues? before, AgentSettingValues after)
    {
        var changes = new List<SettingChange>(4);
        Add(changes, "Self-electing subnet services", before is null ? null : OnOff(before.EnableSubnetServices), OnOff(after.EnableSubnetServices));
        Add(changes, "PXE service", before is null ? null : OnOff(before.EnablePxe), OnOff(after.EnablePxe));
        Add(changes, "Check-in interval", before is null ? null : Seconds(before.CheckInIntervalSeconds), Seconds(after.CheckInIntervalSeconds));
        Add(changes, "Policy interval", before is null ? null : Seconds(before.PolicyIntervalSeconds), Seconds(after.PolicyIntervalSeconds));
        return changes;
    }

    /// <summary>An agent with these values may be elected to serve PXE on its subnet.</summary>
    public static bool AllowsPxe(AgentSettingValues? values) => values is { EnableSubnetServices: true, EnablePxe: true };

    private static void Add(List<SettingChange> changes, string field, string? before, string after)
    {
        if (before != after) changes.Add(new SettingChange(field, before, after));
    }

    private static string OnOff(bool value) => value ? "On" : "Off";
    private static string Seconds(int value) => $"{value} s";
}

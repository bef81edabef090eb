using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.UnitTests.ScheduledTasks;

public sealed class ScheduleAndDiffTests
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly CreateScheduledTaskValidator Validator = new(Clock);

    private static CreateScheduledTaskCommand Command(TaskScheduleKind kind = TaskScheduleKind.Now, DateTime? at = null, string? cron = null,
        IReadOnlyList<TargetRef>? targets = null, string zone = "Europe/Berlin") =>
        new("Roll out", Guid.NewGuid(), TaskDelivery.Push, PortalMode.Required, targets ?? [new TargetRef(TaskTargetKind.Subnet, Guid.NewGuid(), "10.0.1.0/24")],
            kind, at, cron, zone);

    [Fact]
    public void A_task_with_no_targets_is_refused_on_the_targets_field()
    {
        var result = Validator.Validate(Command(targets: []));
        result.Errors.ShouldContain(e => e.PropertyName == nameof(CreateScheduledTaskCommand.Targets));
    }

    [Fact]
    public void A_start_time_in_the_past_is_refused_in_the_chosen_time_zone()
    {
        // 12:30 in Berlin is 11:30 UTC, half an hour before "now" (12:00 UTC).
        var result = Validator.Validate(Command(TaskScheduleKind.At, new DateTime(2026, 3, 1, 12, 30, 0)));
        result.Errors.ShouldContain(e => e.PropertyName == nameof(CreateScheduledTaskCommand.RunAtLocal) && e.ErrorMessage.Contains("past"));
    }

    [Fact]
    public void A_start_time_later_today_is_accepted() =>
        Validator.Validate(Command(TaskScheduleKind.At, new DateTime(2026, 3, 1, 14, 0, 0))).IsValid.ShouldBeTrue();

    [Fact]
    public void A_recurring_expression_that_never_fires_is_refused()
    {
        var result = Validator.Validate(Command(TaskScheduleKind.Recurring, cron: "0 0 30 2 *"));
        result.Errors.ShouldContain(e => e.PropertyName == nameof(CreateScheduledTaskCommand.CronExpression) && e.ErrorMessage.Contains("never fires"));
    }

    [Fact]
    public void Garbage_is_not_a_cron_expression() =>
        Validator.Validate(Command(TaskScheduleKind.Recurring, cron: "every tuesday")).Errors
            .ShouldContain(e => e.PropertyName == nameof(CreateScheduledTaskCommand.CronExpression));

    [Fact]
    public void An_unknown_time_zone_is_refused() =>
        Validator.Validate(Command(zone: "Mars/Olympus")).Errors.ShouldContain(e => e.PropertyName == nameof(CreateScheduledTaskCommand.TimeZoneId));

    [Fact]
    public void Recurring_times_follow_the_time_zone_across_daylight_saving()
    {
        TaskSchedule.TryFindZone("Europe/Berlin", out var berlin).ShouldBeTrue();
        // 02:30 local every day: before the March change Berlin is UTC+1, after it UTC+2.
        var beforeDst = TaskSchedule.NextOccurrence("30 3 * * *", berlin, new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero))!.Value;
        var afterDst = TaskSchedule.NextOccurrence("30 3 * * *", berlin, new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero))!.Value;
        beforeDst.UtcDateTime.Hour.ShouldBe(2);
        afterDst.UtcDateTime.Hour.ShouldBe(1);
    }

    [Fact]
    public void The_diff_lists_only_fields_that_changed()
    {
        var before = AgentSettingLimits.DefaultValues;
        var after = before with { EnableSubnetServices = true, EnablePxe = true };
        var changes = SettingDiff.Between(before, after);
        changes.Select(c => c.Field).ShouldBe(["Self-electing subnet services", "PXE service"]);
        changes[1].ShouldBe(new SettingChange("PXE service", "Off", "On"));
    }

    [Fact]
    public void With_nothing_installed_every_field_is_a_change() =>
        SettingDiff.Between(null, AgentSettingLimits.DefaultValues).Count.ShouldBe(4);

    [Fact]
    public void Only_settings_with_both_switches_on_allow_pxe()
    {
        SettingDiff.AllowsPxe(new AgentSettingValues { EnableSubnetServices = true, EnablePxe = true }).ShouldBeTrue();
        SettingDiff.AllowsPxe(new AgentSettingValues { EnableSubnetServices = true, EnablePxe = false }).ShouldBeFalse();
        SettingDiff.AllowsPxe(new AgentSettingValues { EnableSubnetServices = false, EnablePxe = true }).ShouldBeFalse();
        SettingDiff.AllowsPxe(null).ShouldBeFalse();
    }

    [Theory]
    [InlineData(5, 900, false)]
    [InlineData(60, 30, false)]
    [InlineData(60, 900, true)]
    public void Interval_ranges_are_validated(int checkIn, int policy, bool valid) =>
        new CreateAgentSettingValidator().Validate(new CreateAgentSettingCommand("P", null, false, false, checkIn, policy)).IsValid.ShouldBe(valid);

    [Fact]
    public void Pxe_without_subnet_services_is_refused_with_a_reason() =>
        new CreateAgentSettingValidator().Validate(new CreateAgentSettingCommand("P", null, false, true, 60, 900)).Errors
            .ShouldContain(e => e.PropertyName == nameof(CreateAgentSettingCommand.EnablePxe));
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

using Bunit;
using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using CoreConsole.Web.Features.ScheduledTasks;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using NSubstitute;

namespace CoreConsole.Web.ComponentTests.ScheduledTasks;

public sealed class ScheduledTasksComponentTests : BunitContext
{
    private readonly ISender _mediator = Substitute.For<ISender>();
    private static readonly Guid RevisionId = Guid.NewGuid();
    private static readonly Guid SubnetId = Guid.NewGuid();

    public ScheduledTasksComponentTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_mediator);
        Services.AddSingleton<IValidator<CreateScheduledTaskCommand>>(new CreateScheduledTaskValidator(TimeProvider.System));
        var auth = AddAuthorization();
        auth.SetAuthorized("operator@example.org");
        auth.SetRoles("Operator");

        _mediator.Send(Arg.Any<ListSettingRevisionChoicesQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<SettingRevisionChoice>>([new SettingRevisionChoice(RevisionId, Guid.NewGuid(), "PXE on", 2, true, AgentSettingLimits.DefaultValues)]));
        _mediator.Send(Arg.Any<ListTargetChoicesQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<TargetChoices>(new TargetChoices([], [new TargetRef(TaskTargetKind.Subnet, SubnetId, "10.0.1.0/24")], [])));
        _mediator.Send(Arg.Any<DryRunScheduledTaskQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<DryRunReport>(new DryRunReport("PXE on revision 2", null, 2, 0,
                [new DryRunDevice(Guid.NewGuid(), "mac-01", "Default r1", true, [new SettingChange("PXE service", "Off", "On")])], [],
                [new SubnetPxeImpact(SubnetId, "10.0.2.0/24", null, 1, 0)])));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenWizardAsync(CreateScheduledTaskCommand? initial = null)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<TaskWizardDialog>();
        if (initial is not null) parameters.Add(w => w.Initial, initial);
        await provider.InvokeAsync(() => dialogs.ShowAsync<TaskWizardDialog>("New task", parameters));
        return provider;
    }

    private static CreateScheduledTaskCommand Filled() =>
        new("Enable PXE", RevisionId, TaskDelivery.Push, PortalMode.Required, [new TargetRef(TaskTargetKind.Subnet, SubnetId, "10.0.1.0/24")],
            TaskScheduleKind.Now, null, null, "UTC");

    [Fact]
    public async Task The_wizard_will_not_leave_the_first_step_without_a_name()
    {
        var wizard = await OpenWizardAsync();
        wizard.Find("#wizard-next").Click();
        wizard.WaitForAssertion(() => wizard.Markup.ShouldContain("Enter a name."));
        wizard.Find("#task-name").ShouldNotBeNull(); // still on step 1
    }

    [Fact]
    public async Task The_wizard_will_not_leave_the_targets_step_without_a_target()
    {
        var wizard = await OpenWizardAsync(Filled() with { Targets = [] });
        wizard.Find("#wizard-next").Click();
        wizard.WaitForAssertion(() => wizard.FindAll("#task-subnets").Count.ShouldBe(1));
        wizard.Find("#wizard-next").Click();
        wizard.WaitForAssertion(() => wizard.Find("#targets-error").TextContent.ShouldContain("Choose at least one device, subnet or saved query."));
    }

    [Fact]
    public async Task The_last_step_shows_the_dry_run_with_the_diff_and_the_pxe_warning()
    {
        var wizard = await OpenWizardAsync(Filled());
        for (var i = 0; i < 3; i++) wizard.Find("#wizard-next").Click();
        wizard.WaitForAssertion(() =>
        {
            var dryRun = wizard.Find("#dry-run").TextContent;
            dryRun.ShouldContain("2 device(s) will get PXE on revision 2");
            dryRun.ShouldContain("PXE service: Off → On");
            wizard.Find("#pxe-warning").TextContent.ShouldContain("10.0.2.0/24 would have no electable PXE candidate");
        });
    }

    [Fact]
    public async Task Scheduling_sends_the_command_and_a_server_field_error_returns_to_its_step()
    {
        CreateScheduledTaskCommand? sent = null;
        _mediator.Send(Arg.Do<CreateScheduledTaskCommand>(c => sent = c), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Result<Guid>>(Error.Validation(nameof(CreateScheduledTaskCommand.RunAtLocal), "This time is in the past; choose a later one or start now.")));
        var wizard = await OpenWizardAsync(Filled());
        for (var i = 0; i < 3; i++) wizard.Find("#wizard-next").Click();
        wizard.WaitForAssertion(() => wizard.Find("#dry-run"));
        wizard.Find("#wizard-schedule").Click();

        wizard.WaitForAssertion(() =>
        {
            sent.ShouldNotBeNull();
            sent.Name.ShouldBe("Enable PXE");
            sent.Targets.Single().Id.ShouldBe(SubnetId);
            wizard.Find("#task-schedule-kind"); // back on the schedule step
            wizard.Find("#wizard-error").TextContent.ShouldContain("in the past");
        });
    }

    private static ScheduledTaskDetail Detail(Dictionary<TargetState, int> counts, ScheduledTaskState state) => new(
        new ScheduledTaskRow(Guid.NewGuid(), "Enable PXE", "PXE on", 2, TaskDelivery.Push, PortalMode.Required, TaskScheduleKind.Now, null, "UTC", state,
            null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, new TargetCounts(counts)),
        Guid.NewGuid(), RevisionId, true, [new TargetRef(TaskTargetKind.Subnet, SubnetId, "10.0.1.0/24")], "ops");

    [Fact]
    public void The_task_page_shows_progress_and_counts_and_follows_them_live()
    {
        var detail = Detail(new() { [TargetState.Succeeded] = 3, [TargetState.Active] = 5, [TargetState.Offline] = 2 }, ScheduledTaskState.Running);
        _mediator.Send(Arg.Any<GetScheduledTaskQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<ScheduledTaskDetail?>(detail));
        _mediator.Send(Arg.Any<ListTaskTargetResultsQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Paged<TaskTargetResult>>(new Paged<TaskTargetResult>([new TaskTargetResult { DeviceName = "mac-07", State = TargetState.Offline, LastError = "Unreachable: refused" }], 1, 0, 50)));

        var page = Render<ScheduledTaskPage>(p => p.Add(x => x.Id, detail.Task.Id).Add(x => x.RefreshInterval, TimeSpan.FromMilliseconds(50)));
        page.Find("#task-progress").TextContent.ShouldContain("5 of 10 target(s) finished");
        page.Find("[data-state=Active]").TextContent.ShouldContain("Active: 5");
        page.Find("[data-state=Offline]").TextContent.ShouldContain("Offline: 2");
        page.Find("#targets-table").TextContent.ShouldContain("Unreachable: refused");

        // The rollout moves on; the page re-queries on its timer.
        var later = Detail(new() { [TargetState.Succeeded] = 8, [TargetState.Offline] = 2 }, ScheduledTaskState.Completed);
        _mediator.Send(Arg.Any<GetScheduledTaskQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<ScheduledTaskDetail?>(later));
        page.WaitForAssertion(() =>
        {
            page.Find("#task-progress").TextContent.ShouldContain("10 of 10 target(s) finished");
            page.Find("[data-state=Succeeded]").TextContent.ShouldContain("Succeeded: 8");
            page.Find("#task-state").TextContent.ShouldContain("Completed");
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Viewers_see_the_task_but_no_buttons_to_change_it()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("viewer@example.org");
        auth.SetRoles("Viewer");
        var detail = Detail(new() { [TargetState.Failed] = 1 }, ScheduledTaskState.Completed);
        _mediator.Send(Arg.Any<GetScheduledTaskQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<ScheduledTaskDetail?>(detail));
        _mediator.Send(Arg.Any<ListTaskTargetResultsQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Paged<TaskTargetResult>>(new Paged<TaskTargetResult>([], 0, 0, 50)));

        var page = Render<ScheduledTaskPage>(p => p.Add(x => x.Id, detail.Task.Id));
        page.Find("#page-title").TextContent.ShouldBe("Enable PXE");
        page.FindAll("#task-rerun").ShouldBeEmpty();
        page.FindAll("#task-cancel").ShouldBeEmpty();
    }
}

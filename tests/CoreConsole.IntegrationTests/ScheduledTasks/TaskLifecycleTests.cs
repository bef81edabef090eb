using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CoreConsole.IntegrationTests.ScheduledTasks.TaskTestSupport;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

public sealed class TaskLifecycleTests : IAsyncLifetime
{
    private readonly TasksAppFactory _app = new();
    private TestFleet _fleet = null!;
    private IReadOnlyList<FleetAgent> _agents = [];
    private Guid _subnet;

    public async ValueTask InitializeAsync()
    {
        _fleet = await TestFleet.StartAsync(_app.AgentClient());
        _agents = await _fleet.EnrolAsync(await _app.CreateEnrollmentTokenAsync(), 3, "10.71.1");
        _subnet = await SubnetIdAsync(_app, "10.71.1.0/24");
    }

    private TargetRef Subnet => new(TaskTargetKind.Subnet, _subnet, "10.71.1.0/24");

    [Fact]
    public async Task Start_up_seeds_exactly_one_default_profile_and_seeding_again_changes_nothing()
    {
        var seeder = _app.Services.GetRequiredService<DefaultAgentSettingSeeder>();
        var first = await seeder.EnsureDefaultAsync(TestContext.Current.CancellationToken);
        var second = await seeder.EnsureDefaultAsync(TestContext.Current.CancellationToken);
        second.ShouldBe(first);
        var defaults = await _app.DbAsync(db => db.AgentSettings.Where(s => s.IsDefault).ToListAsync());
        defaults.Count.ShouldBe(1);
        var revision = await _app.DbAsync(db => db.AgentSettingRevisions.FirstAsync(r => r.Id == defaults[0].CurrentRevisionId));
        (revision.EnableSubnetServices, revision.EnablePxe, revision.CheckInIntervalSeconds, revision.PolicyIntervalSeconds).ShouldBe((false, false, 60, 900));
    }

    [Fact]
    public async Task A_newly_enrolled_agent_is_told_to_run_the_default_profile()
    {
        var defaultRevision = await _app.DbAsync(db => db.AgentSettings.Where(s => s.IsDefault).Select(s => s.CurrentRevisionId).FirstAsync());
        var reply = await _agents[0].CheckInAsync(TestContext.Current.CancellationToken);
        reply.DesiredSettingRevision!.Id.ShouldBe(defaultRevision);
    }

    [Fact]
    public async Task An_agent_reporting_the_revision_its_running_push_gave_it_is_not_sent_back_to_the_default()
    {
        // The agent answers the push and checks in at once; the core records the push result a moment later.
        var ct = TestContext.Current.CancellationToken;
        var revision = await CreatePxeProfileAsync(_app, "PXE now");
        var contract = await _app.DbAsync(db => db.AgentSettingRevisions.FirstAsync(r => r.Id == revision));
        _fleet.PushDelay = TimeSpan.FromSeconds(3);
        var agent = _agents[0];
        var deviceId = await _app.DbAsync(db => db.Agents.Where(a => a.Id == agent.Id).Select(a => a.DeviceId).FirstAsync());
        var taskId = await _app.OkAsync(NowTask("Push PXE", revision, TaskDelivery.Push, PortalMode.Required, new TargetRef(TaskTargetKind.Device, deviceId, agent.HostName)));
        await Eventually(async () => (await TargetsAsync(_app, taskId)).GetValueOrDefault(agent.Id)?.State == TargetState.Active, TimeSpan.FromSeconds(20), "the push to start");

        var reply = await agent.CheckInAsync(ct, reporting: contract.ToContract());
        reply.DesiredSettingRevision!.Id.ShouldBe(revision, "the check-in must not undo the install the push is reporting");

        await Eventually(async () => (await TargetsAsync(_app, taskId))[agent.Id].State == TargetState.Succeeded, TimeSpan.FromSeconds(20), "the push to finish");
        (await agent.CheckInAsync(ct)).DesiredSettingRevision!.Id.ShouldBe(revision);
        // Another agent, untouched by the task, still runs the default.
        var defaultRevision = await _app.DbAsync(db => db.AgentSettings.Where(s => s.IsDefault).Select(s => s.CurrentRevisionId).FirstAsync());
        (await _agents[1].CheckInAsync(ct, reporting: contract.ToContract())).DesiredSettingRevision!.Id.ShouldBe(defaultRevision);
    }

    [Fact]
    public async Task Saving_changed_values_writes_a_new_revision_and_the_diff_shows_the_change()
    {
        var id = await _app.OkAsync(new CreateAgentSettingCommand("Lab", null, false, false, 60, 900));
        var setting = await _app.DbAsync(db => db.AgentSettings.FirstAsync(s => s.Id == id));
        (await _app.SendAsync<Result>(new UpdateAgentSettingCommand(id, setting.Version, "Lab", "now with PXE", true, true, 120, 900))).IsSuccess.ShouldBeTrue();
        var revisions = await _app.SendAsync<IReadOnlyList<AgentSettingRevisionRow>>(new ListAgentSettingRevisionsQuery(id));
        revisions.Select(r => r.Number).ShouldBe([2, 1]);
        var diff = await _app.SendAsync<IReadOnlyList<SettingChange>?>(new DiffAgentSettingRevisionsQuery(revisions[1].Id, revisions[0].Id));
        diff!.Select(c => c.Field).ShouldBe(["Self-electing subnet services", "PXE service", "Check-in interval"]);

        // A stale form (old version) is a conflict, not an overwrite.
        var stale = await _app.SendAsync<Result>(new UpdateAgentSettingCommand(id, setting.Version, "Lab", null, false, false, 60, 900));
        stale.Error!.Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task Bad_input_gets_field_errors_and_schedules_nothing()
    {
        var revision = await CreatePxeProfileAsync(_app, "Bad input");
        var noTargets = await _app.SendAsync<Result<Guid>>(NowTask("x", revision, TaskDelivery.Push, PortalMode.Required));
        noTargets.Error!.FieldErrors!.Keys.ShouldContain(nameof(CreateScheduledTaskCommand.Targets));

        var past = await _app.SendAsync<Result<Guid>>(NowTask("x", revision, TaskDelivery.Push, PortalMode.Required, Subnet) with
            { ScheduleKind = TaskScheduleKind.At, RunAtLocal = DateTime.UtcNow.AddHours(-2) });
        past.Error!.FieldErrors!.Keys.ShouldContain(nameof(CreateScheduledTaskCommand.RunAtLocal));

        var never = await _app.SendAsync<Result<Guid>>(NowTask("x", revision, TaskDelivery.Push, PortalMode.Required, Subnet) with
            { ScheduleKind = TaskScheduleKind.Recurring, CronExpression = "0 0 31 4 *" });
        never.Error!.FieldErrors!.Keys.ShouldContain(nameof(CreateScheduledTaskCommand.CronExpression));

        var settingId = await _app.DbAsync(db => db.AgentSettingRevisions.Where(r => r.Id == revision).Select(r => r.SettingId).FirstAsync());
        (await _app.SendAsync<Result>(new DeleteAgentSettingCommand(settingId))).IsSuccess.ShouldBeTrue();
        var deleted = await _app.SendAsync<Result<Guid>>(NowTask("x", revision, TaskDelivery.Push, PortalMode.Required, Subnet));
        deleted.Error!.FieldErrors!.Keys.ShouldContain(nameof(CreateScheduledTaskCommand.SettingRevisionId));

        (await _app.DbAsync(db => db.ScheduledTasks.CountAsync())).ShouldBe(0);
        (await _app.DbAsync(db => db.WorkItems.CountAsync(w => w.Kind.StartsWith("scheduled-task")))).ShouldBe(0);
    }

    [Fact]
    public async Task A_profile_used_by_a_task_cannot_be_deleted()
    {
        var revision = await CreatePxeProfileAsync(_app, "In use");
        await _app.OkAsync(NowTask("uses it", revision, TaskDelivery.Policy, PortalMode.Optional, Subnet));
        var settingId = await _app.DbAsync(db => db.AgentSettingRevisions.Where(r => r.Id == revision).Select(r => r.SettingId).FirstAsync());
        var result = await _app.SendAsync<Result>(new DeleteAgentSettingCommand(settingId));
        result.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        result.Error.Message.ShouldContain("task");
    }

    [Fact]
    public async Task The_dry_run_shows_the_diff_and_the_subnet_that_would_lose_its_last_pxe_candidate()
    {
        // Make all three agents PXE candidates, then dry-run a task that turns PXE off for the subnet.
        var pxe = await CreatePxeProfileAsync(_app, "PXE on");
        var first = await _app.OkAsync(NowTask("pxe on", pxe, TaskDelivery.Push, PortalMode.Required, Subnet));
        await Eventually(async () => await AllInAsync(first, TargetState.Succeeded), TimeSpan.FromSeconds(20), "pxe on");
        foreach (var a in _agents) await a.CheckInAsync(TestContext.Current.CancellationToken); // online with PXE installed

        var offId = await _app.OkAsync(new CreateAgentSettingCommand("PXE off", null, true, false, 60, 900));
        var off = await _app.DbAsync(db => db.AgentSettings.Where(s => s.Id == offId).Select(s => s.CurrentRevisionId).FirstAsync());
        var missingDevice = new TargetRef(TaskTargetKind.Device, Guid.NewGuid(), "gone-mac");
        var report = await _app.SendAsync<DryRunReport>(new DryRunScheduledTaskQuery(off, [Subnet, missingDevice]));

        report.DeviceCount.ShouldBe(3);
        report.Devices.ShouldAllBe(d => d.Changes.Single().Field == "PXE service" && d.Changes.Single().After == "Off");
        report.Unresolved.Single().Target.Label.ShouldBe("gone-mac");
        var losing = report.SubnetsLeftWithoutPxe.Single();
        losing.Cidr.ShouldBe("10.71.1.0/24");
        (losing.CandidatesBefore, losing.CandidatesAfter).ShouldBe((3, 0));
        (await _app.DbAsync(db => db.ScheduledTasks.CountAsync())).ShouldBe(1); // the dry run scheduled nothing
    }

    [Fact]
    public async Task Cancel_ends_waiting_targets_and_rerun_retries_only_failed_ones()
    {
        var revision = await CreatePxeProfileAsync(_app, "Cancel me");
        var policyTask = await _app.OkAsync(NowTask("waits", revision, TaskDelivery.Policy, PortalMode.Optional, Subnet));
        await Eventually(async () => await AllInAsync(policyTask, TargetState.WaitingForPolicy), TimeSpan.FromSeconds(10), "waiting");
        (await _app.SendAsync<Result>(new CancelScheduledTaskCommand(policyTask))).IsSuccess.ShouldBeTrue();
        (await TargetsAsync(_app, policyTask)).Values.ShouldAllBe(r => r.State == TargetState.Cancelled && r.FinishedAt != null);
        await _agents[0].PollPolicyAsync(TestContext.Current.CancellationToken);
        _agents[0].PortalOffers.ShouldBeEmpty(); // a cancelled task is no longer offered

        // One agent goes dark: a push task leaves it Offline; once it is back, re-run failed delivers to it alone.
        _agents[2].Online = false;
        await _agents[2].CheckInAsync(TestContext.Current.CancellationToken);
        var push = await _app.OkAsync(NowTask("push", revision, TaskDelivery.Push, PortalMode.Required, Subnet));
        await Eventually(async () => (await TargetsAsync(_app, push)).GetValueOrDefault(_agents[2].Id)?.State == TargetState.Offline, TimeSpan.FromSeconds(20), "offline");
        _agents[2].Online = true;
        await _agents[2].CheckInAsync(TestContext.Current.CancellationToken);
        var rerun = await _app.SendAsync<Result<int>>(new RerunFailedTargetsCommand(push));
        rerun.Value.ShouldBe(1);
        await Eventually(async () => await AllInAsync(push, TargetState.Succeeded), TimeSpan.FromSeconds(20), "all succeeded");
        _agents.Select(a => a.ApplyPushes).ShouldAllBe(n => n == 1); // the two that succeeded first were not pushed again
    }

    private async Task<bool> AllInAsync(Guid taskId, TargetState state)
    {
        var rows = await TargetsAsync(_app, taskId);
        return rows.Count == _agents.Count && rows.Values.All(r => r.State == state);
    }

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _app.DisposeAsync();
    }
}

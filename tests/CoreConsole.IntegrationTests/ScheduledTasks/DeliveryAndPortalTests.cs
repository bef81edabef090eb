using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using static CoreConsole.IntegrationTests.ScheduledTasks.TaskTestSupport;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>
/// Every delivery × portal combination against a real console and a fleet of signed-push agents: three online agents and one
/// whose push listener is unreachable, all on one subnet targeted by the task.
/// </summary>
public sealed class DeliveryAndPortalTests : IAsyncLifetime
{
    private readonly TasksAppFactory _app = new();
    private TestFleet _fleet = null!;
    private IReadOnlyList<FleetAgent> _online = [];
    private FleetAgent _offline = null!;

    public async ValueTask InitializeAsync()
    {
        _fleet = await TestFleet.StartAsync(_app.AgentClient());
        var token = await _app.CreateEnrollmentTokenAsync();
        _online = await _fleet.EnrolAsync(token, 3, "10.70.1");
        _offline = (await _fleet.EnrolAsync(token, 1, "10.70.1", online: false))[0];
    }

    public static TheoryData<TaskDelivery, PortalMode> Combinations()
    {
        var data = new TheoryData<TaskDelivery, PortalMode>();
        foreach (var d in Enum.GetValues<TaskDelivery>())
        foreach (var p in Enum.GetValues<PortalMode>())
            data.Add(d, p);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Each_delivery_and_portal_reaches_online_agents_and_treats_the_unreachable_one_as_the_delivery_says(TaskDelivery delivery, PortalMode portal)
    {
        var revisionId = await CreatePxeProfileAsync(_app, $"PXE {delivery} {portal}");
        var subnet = await SubnetIdAsync(_app, "10.70.1.0/24");
        var taskId = await _app.OkAsync(NowTask($"{delivery}/{portal}", revisionId, delivery, portal, new TargetRef(TaskTargetKind.Subnet, subnet, "10.70.1.0/24")));

        // 1. What the core does on its own.
        var offlineExpected = delivery == TaskDelivery.Push ? TargetState.Offline : TargetState.WaitingForPolicy;
        var onlineFirst = delivery != TaskDelivery.Policy && portal == PortalMode.Required ? TargetState.Succeeded : TargetState.WaitingForPolicy;
        await Eventually(async () =>
        {
            var rows = await TargetsAsync(_app, taskId);
            return rows.Count == 4 && _online.All(a => rows[a.Id].State == onlineFirst) && rows[_offline.Id].State == offlineExpected;
        }, TimeSpan.FromSeconds(30), $"online {onlineFirst}, offline {offlineExpected}");

        // 2. What the agents do: Required is taken at the policy poll; Recommended/Optional wait in the portal until run.
        if (onlineFirst == TargetState.WaitingForPolicy)
        {
            foreach (var a in _online) await a.Background; // the check-in a CheckInNow push started
            foreach (var a in _online) await a.PollPolicyAsync(TestContext.Current.CancellationToken);
            if (portal == PortalMode.Required)
            {
                _online.ShouldAllBe(a => a.PortalOffers.Count == 0);
            }
            else
            {
                foreach (var a in _online) a.PortalOffers.Select(o => o.Title).ShouldContain($"{delivery}/{portal}");
                var rows = await TargetsAsync(_app, taskId);
                _online.ShouldAllBe(a => rows[a.Id].State == TargetState.WaitingForPolicy); // offered, not applied
                foreach (var a in _online) await a.RunPortalAsync(rows[a.Id].Id, TestContext.Current.CancellationToken);
            }
        }
        await Eventually(async () => (await TargetsAsync(_app, taskId)).Where(kv => kv.Key != _offline.Id).All(kv => kv.Value.State == TargetState.Succeeded),
            TimeSpan.FromSeconds(15), "online targets succeeded");

        // 3. Effects: the agents run the revision once; the core's installed columns and desired revision follow.
        var final = await TargetsAsync(_app, taskId);
        foreach (var a in _online)
        {
            a.Installed!.Id.ShouldBe(revisionId);
            final[a.Id].FinishedAt.ShouldNotBeNull();
            var agent = await _app.DbAsync(db => db.Agents.AsNoTracking().FirstAsync(x => x.Id == a.Id));
            agent.InstalledSettingRevisionId.ShouldBe(revisionId);
            agent.EnablePxe.ShouldBeTrue();
            (await a.CheckInAsync(TestContext.Current.CancellationToken)).DesiredSettingRevision!.Id.ShouldBe(revisionId);
        }
        final[_offline.Id].State.ShouldBe(offlineExpected);
        if (offlineExpected == TargetState.Offline) final[_offline.Id].LastError.ShouldNotBeNullOrEmpty();

        // 4. An agent that was unreachable takes the work by policy once it is back (policy and policy-supported push only).
        if (offlineExpected == TargetState.WaitingForPolicy)
        {
            await _offline.PollPolicyAsync(TestContext.Current.CancellationToken);
            if (portal != PortalMode.Required) await _offline.RunPortalAsync(final[_offline.Id].Id, TestContext.Current.CancellationToken);
            await Eventually(async () => (await TargetsAsync(_app, taskId))[_offline.Id].State == TargetState.Succeeded, TimeSpan.FromSeconds(10), "offline agent caught up");
            await Eventually(async () => (await _app.DbAsync(db => db.ScheduledTasks.FirstAsync(t => t.Id == taskId))).State == ScheduledTaskState.Completed,
                TimeSpan.FromSeconds(10), "task completed");
        }
        else
        {
            (await _app.DbAsync(db => db.ScheduledTasks.FirstAsync(t => t.Id == taskId))).State.ShouldBe(ScheduledTaskState.Completed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _app.DisposeAsync();
    }
}

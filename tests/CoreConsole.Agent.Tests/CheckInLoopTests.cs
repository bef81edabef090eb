using System.Net;
using CoreConsole.Agent.Cli;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.Running;
using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoreConsole.Agent.Tests;

/// <summary>The real agent host against a fake core on 127.0.0.1.</summary>
public sealed class CheckInLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly RecordingRepresentativeService _representative = new();
    private FakeCore _core = null!;
    private AgentStateStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _core = await FakeCore.StartAsync();
        _store = new AgentStateStore(_dir.Path);
        await EnrollCommand.EnrollAsync(_core.Url, FakeCore.Token,
            new IdentityOverrides { Model = "MacBookPro14,1", Ipv4 = "127.0.0.1/8", SerialNumber = "SIM-TEST" }, _store, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<IHost> StartAgentAsync()
    {
        var host = AgentHost.Build(_store, new IPEndPoint(IPAddress.Loopback, 0),
            services => services.AddSingleton<IRepresentativeService>(_representative));
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static SettingRevision Revision(int number) => new()
    {
        Id = Guid.NewGuid(), Number = number,
        Settings = new AgentSettingValues { EnableSubnetServices = true, EnablePxe = true, CheckInIntervalSeconds = 5, PolicyIntervalSeconds = 5 },
    };

    [Fact]
    public async Task Enrolment_stores_an_identity_the_core_accepts_and_a_check_in_carries_the_inventory_and_push_url()
    {
        using var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => !_core.CheckIns.IsEmpty, Patience, "first check-in");

        var checkIn = _core.CheckIns.First();
        checkIn.Model.ShouldBe("MacBookPro14,1");
        checkIn.SerialNumber.ShouldBe("SIM-TEST");
        checkIn.Ipv4.ShouldBe([new Ipv4Interface("127.0.0.1", 8)]);
        checkIn.PushUrl.ShouldNotBeNull().ShouldStartWith("http://127.0.0.1:");
        _core.Unauthorized.ShouldBe(0);
        await host.StopAsync(TestContext.Current.CancellationToken);
        _store.Load().LastCheckInAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_desired_setting_revision_is_installed_and_reported_back_on_the_next_check_in()
    {
        var desired = Revision(2);
        _core.Desired = desired;
        using var host = await StartAgentAsync();

        await Eventually.HoldsAsync(() => _core.CheckIns.Any(c => c.InstalledSettingRevisionId == desired.Id), Patience, "check-in reporting the installed revision");
        _core.CheckIns.Last().InstalledSettings.ShouldBe(desired.Settings);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_newly_installed_revision_is_reported_at_once_not_a_whole_interval_later()
    {
        _core.NextCheckInSeconds = 60;
        var desired = Revision(3);
        _core.Desired = desired;
        using var host = await StartAgentAsync();

        // The first reply hands out the revision; the next check-in (≈1 s later, not 60 s) reports it installed.
        await Eventually.HoldsAsync(() => _core.CheckIns.Any(c => c.InstalledSettingRevisionId == desired.Id), TimeSpan.FromSeconds(15),
            "a prompt check-in reporting the installed revision");
        _core.CheckIns.Count.ShouldBe(2);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Required_policy_is_applied_and_its_result_posted_while_optional_policy_waits_in_the_portal()
    {
        var required = new PolicyWorkItem { WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Required, SettingRevision = Revision(3) };
        var optional = new PolicyWorkItem { WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Optional, SettingRevision = Revision(4) };
        _core.Policy.Enqueue(required);
        _core.Policy.Enqueue(optional);
        using var host = await StartAgentAsync();

        await Eventually.HoldsAsync(() => _core.ReportedResults.Any(r => r.WorkId == required.WorkId), Patience, "result of the required work");
        var result = _core.ReportedResults.Single();
        result.Succeeded.ShouldBeTrue();
        result.AppliedRevisionId.ShouldBe(required.SettingRevision.Id);
        // The core has the result slightly before the agent records the acknowledgement.
        await Eventually.HoldsAsync(() => _store.Load().AppliedWork.Single().Reported, Patience, "result marked reported");
        _store.Load().PortalOffers.Single().WorkId.ShouldBe(optional.WorkId);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_role_starts_the_representative_and_its_withdrawal_stops_it()
    {
        _core.Role = new RepresentativeRole { Subnet = "127.0.0.0/8", Term = 7, LeaseSeconds = 60, LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(60) };
        using var host = await StartAgentAsync();

        await Eventually.HoldsAsync(() => _representative.Calls.Contains("lease 127.0.0.0/8 term 7 catalogue v1"), Patience, "lease handed to the representative");
        await Eventually.HoldsAsync(() => _core.CheckIns.Any(c => c.Representative is { Term: 7 }), Patience, "check-in reporting the role");

        _core.Role = null;
        await Eventually.HoldsAsync(() => _representative.Calls.Contains("stop: role withdrawn by the core"), Patience, "stop on withdrawal");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_stops_the_representative_when_it_runs_out()
    {
        _core.Role = new RepresentativeRole { Subnet = "127.0.0.0/8", Term = 1, LeaseSeconds = 2, LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(2) };
        using var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => _representative.Calls.Any(c => c.StartsWith("lease", StringComparison.Ordinal)), Patience, "lease");

        _core.Down = true; // no renewals from now on
        await Eventually.HoldsAsync(() => _representative.Calls.Contains("stop: lease expired"), TimeSpan.FromSeconds(5), "stop on expiry");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_agent_backs_off_while_the_core_is_down_and_resumes_when_it_is_back()
    {
        _core.Down = true;
        using var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => _store.Load().LastCheckInError is not null, Patience, "a failed check-in recorded");
        await Task.Delay(2500, TestContext.Current.CancellationToken);
        _core.CheckIns.ShouldBeEmpty();

        _core.Down = false;
        await Eventually.HoldsAsync(() => !_core.CheckIns.IsEmpty, Patience, "check-in after the core came back");
        await Eventually.HoldsAsync(() => _store.Load().LastCheckInError is null, Patience, "error cleared");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_signed_push_from_the_core_applies_settings_at_once()
    {
        _core.NextCheckInSeconds = 60; // so only the push can bring the change in time
        using var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => !_core.CheckIns.IsEmpty, Patience, "first check-in");
        var state = _store.Load();
        var revision = Revision(9);

        var (status, reply) = await _core.PushAsync(state.AgentId, state.LastPushUrl!, new PushRequest { Kind = PushKind.ApplySettings, WorkId = Guid.NewGuid(), SettingRevision = revision });

        status.ShouldBe(HttpStatusCode.OK);
        reply!.Accepted.ShouldBeTrue();
        reply.AppliedRevisionId.ShouldBe(revision.Id);
        _store.Load().InstalledRevisionId.ShouldBe(revision.Id);
        await Eventually.HoldsAsync(() => _core.CheckIns.Any(c => c.InstalledSettingRevisionId == revision.Id), Patience, "early check-in after the push");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task After_a_restart_the_agent_resumes_with_its_installed_revision_and_does_not_redo_finished_work()
    {
        var required = new PolicyWorkItem { WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Required, SettingRevision = Revision(3) };
        _core.Policy.Enqueue(required);
        using (var first = await StartAgentAsync())
        {
            await Eventually.HoldsAsync(() => !_core.ReportedResults.IsEmpty, Patience, "result");
            await first.StopAsync(TestContext.Current.CancellationToken);
        }
        var before = _core.CheckIns.Count;

        using var second = await StartAgentAsync();
        await Eventually.HoldsAsync(() => _core.CheckIns.Count > before, Patience, "check-in after restart");
        _core.CheckIns.Skip(before).First().InstalledSettingRevisionId.ShouldBe(required.SettingRevision.Id);
        _core.ReportedResults.Count.ShouldBe(1);
        await second.StopAsync(TestContext.Current.CancellationToken);
    }
}

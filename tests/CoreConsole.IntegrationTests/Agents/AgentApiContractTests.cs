using System.Net;
using System.Net.Http.Json;
using CoreConsole.Application.Features.Dashboard;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>The agent API as the agent sees it: enrol, check in, policy, results, catalogue, OpenAPI.</summary>
public sealed class AgentApiContractTests : IAsyncLifetime
{
    private readonly AgentApiFactory _core = new();
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _core.DisposeAsync();

    [Fact]
    public async Task An_enrolled_agent_checks_in_and_its_device_appears_with_model_and_subnet()
    {
        var http = _core.CreateClient();
        var enrolled = await http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync()));
        enrolled.Secret.Length.ShouldBeGreaterThan(40);

        using var response = await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, AgentCalls.Report(address: "10.0.1.7", prefix: 24));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reply = (await response.Content.ReadFromJsonAsync<CheckInResponse>(AgentProtocol.JsonOptions))!;
        reply.NextCheckInSeconds.ShouldBe(60);
        reply.Role.ShouldBeNull();
        // New agents are given the seeded default profile, which leaves self-electing subnet services and PXE off.
        var desired = reply.DesiredSettingRevision.ShouldNotBeNull();
        desired.Number.ShouldBe(1);
        desired.Settings.EnableSubnetServices.ShouldBeFalse();
        desired.Settings.EnablePxe.ShouldBeFalse();
        reply.PendingPolicyCount.ShouldBe(0);
        (DateTimeOffset.UtcNow - reply.CoreTime).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1));

        var page = await _core.QueryAsync(new ListDevicesQuery(Search: "lab-mac"));
        var device = page.Items.ShouldHaveSingleItem();
        device.Model.ShouldBe("MacBookPro14,1");
        device.AgentId.ShouldBe(enrolled.AgentId);
        device.Ipv4Interfaces.ShouldBe("10.0.1.7/24");

        // The dashboard's activity chart counted it (this host's only agent so far).
        (await _core.QueryAsync(new GetDashboardQuery())).Activity.Sum(a => a.CheckIns).ShouldBe(1);

        var facets = await _core.QueryAsync(new ListInventoryFacetsQuery());
        var subnet = facets.Subnets.ShouldHaveSingleItem();
        subnet.Cidr.ShouldBe("10.0.1.0/24");
        (await _core.QueryAsync(new ListDevicesQuery(SubnetId: subnet.Id))).Total.ShouldBe(1);
        (await _core.QueryAsync(new ListModelsQuery())).ShouldBe([new ModelCount("MacBookPro14,1", 1)]);
        (await _core.QueryAsync(new ListDevicesQuery(SubnetId: Guid.NewGuid()))).Total.ShouldBe(0);
    }

    [Fact]
    public async Task Installed_settings_set_the_next_check_in_interval_and_are_stored_for_the_election()
    {
        var http = _core.CreateClient();
        var enrolled = await http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync()));
        var revision = Guid.NewGuid();
        var report = AgentCalls.Report() with
        {
            InstalledSettingRevisionId = revision, InstalledSettingRevisionNumber = 3,
            InstalledSettings = new AgentSettingValues { EnableSubnetServices = true, EnablePxe = true, CheckInIntervalSeconds = 30, PolicyIntervalSeconds = 600 },
            Representative = new RepresentativeStatus { Subnet = "10.0.1.0/24", Term = 7, State = RepresentativeState.Serving, CatalogueVersion = "v9" },
            PushUrl = "http://10.0.1.7:45123",
        };
        using var response = await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, report);
        (await response.Content.ReadFromJsonAsync<CheckInResponse>(AgentProtocol.JsonOptions))!.NextCheckInSeconds.ShouldBe(30);

        await using var db = await _core.Db.CreateDbContextAsync();
        var agent = await db.Agents.SingleAsync(a => a.Id == enrolled.AgentId);
        agent.InstalledSettingRevisionId.ShouldBe(revision);
        agent.InstalledSettingRevisionNumber.ShouldBe(3);
        agent.EnableSubnetServices.ShouldBeTrue();
        agent.EnablePxe.ShouldBeTrue();
        agent.CheckInIntervalSeconds.ShouldBe(30);
        agent.Cores.ShouldBe(4);
        agent.WiredLink.ShouldBeTrue();
        agent.RepresentativeSubnet.ShouldBe("10.0.1.0/24");
        agent.RepresentativeTerm.ShouldBe(7);
        agent.RepresentativeState.ShouldBe(RepresentativeState.Serving);
        agent.PushUrl.ShouldBe("http://10.0.1.7:45123");
        agent.PushKey.Length.ShouldBe(32);
        agent.LastCheckInAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unchanged_report_rewrites_nothing_but_the_batched_heartbeat()
    {
        var http = _core.CreateClient();
        var enrolled = await http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync()));
        (await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, AgentCalls.Report())).EnsureSuccessStatusCode();
        await _core.FlushHeartbeatsAsync();
        Device first;
        await using (var db = await _core.Db.CreateDbContextAsync()) first = await db.Devices.AsNoTracking().SingleAsync();

        await Task.Delay(50);
        // Same inventory; uptime grew by the elapsed time (same boot) and free disk moved by a few MB.
        (await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, AgentCalls.Report() with { UptimeSeconds = 3601, FreeDiskBytes = (100L << 30) - 5_000_000 }))
            .EnsureSuccessStatusCode();
        await using (var db = await _core.Db.CreateDbContextAsync())
        {
            var now = await db.Devices.AsNoTracking().SingleAsync();
            now.InventoryAt.ShouldBe(first.InventoryAt);
            now.FreeDiskBytes.ShouldBe(first.FreeDiskBytes);
        }
        await _core.FlushHeartbeatsAsync();
        await using (var db = await _core.Db.CreateDbContextAsync())
        {
            (await db.Devices.AsNoTracking().SingleAsync()).LastSeenAt.ShouldBeGreaterThan(first.LastSeenAt);
            (await db.Agents.AsNoTracking().SingleAsync()).LastCheckInAt.ShouldNotBeNull();
        }

        // A real change (new address) is written, and the subnet links follow it.
        (await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, AgentCalls.Report(address: "10.0.2.9", prefix: 23))).EnsureSuccessStatusCode();
        await using (var db = await _core.Db.CreateDbContextAsync())
        {
            (await db.Devices.AsNoTracking().SingleAsync()).Ipv4Interfaces.ShouldBe("10.0.2.9/23");
            var link = await db.AgentAddresses.AsNoTracking().Include(a => a.Subnet).SingleAsync();
            link.Subnet!.Cidr.ShouldBe("10.0.2.0/23");
            link.Address.ShouldBe("10.0.2.9");
        }
    }

    [Fact]
    public async Task Policy_is_empty_a_result_for_unknown_work_is_refused_and_there_is_no_catalogue_yet()
    {
        var http = _core.CreateClient();
        var enrolled = await http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync()));

        using var policy = await http.SendAsync(AgentCalls.Authorized(HttpMethod.Get, AgentProtocol.Policy, enrolled.AgentId, enrolled.Secret));
        policy.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await policy.Content.ReadFromJsonAsync<PolicyResponse>(AgentProtocol.JsonOptions))!.Items.ShouldBeEmpty();

        // Results are accepted only for task targets of this agent (covered in ScheduledTasks); anything else is a 404.
        var work = new WorkResult { WorkId = Guid.NewGuid(), Succeeded = true, Message = "applied", FinishedAt = DateTimeOffset.UtcNow };
        using (var posted = await http.SendAsync(AgentCalls.Authorized(HttpMethod.Post, AgentProtocol.Results, enrolled.AgentId, enrolled.Secret, work)))
        {
            posted.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            posted.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        using var catalogue = await http.SendAsync(AgentCalls.Authorized(HttpMethod.Get, "/api/agent/catalogue", enrolled.AgentId, enrolled.Secret));
        catalogue.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        catalogue.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task The_openapi_document_is_served_anonymously_and_describes_the_agent_api()
    {
        var http = _core.CreateClient();
        using var response = await http.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.Content.ReadAsStringAsync();
        foreach (var path in new[] { AgentProtocol.Enroll, AgentProtocol.CheckIn, AgentProtocol.Policy, AgentProtocol.Results, "/api/agent/catalogue" })
            json.ShouldContain($"\"{path}\"");
        json.ShouldContain("CheckInRequest");
        json.ShouldContain("EnrollResponse");
    }

    [Fact]
    public async Task Enrolment_and_check_in_are_audited_only_where_something_was_decided()
    {
        var http = _core.CreateClient();
        var enrolled = await http.EnrollAsync(AgentCalls.Enrolment(await _core.CreateTokenAsync("audit me")));
        (await http.CheckInAsync(enrolled.AgentId, enrolled.Secret, AgentCalls.Report())).EnsureSuccessStatusCode();
        await using var db = await _core.Db.CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Agent").ToListAsync();
        var enrol = entries.ShouldHaveSingleItem();
        enrol.UserName.ShouldBe("system");
        enrol.Summary!.ShouldContain("audit me");
        (await db.AuditEntries.AnyAsync(a => a.After != null && a.After.Contains("cce_"))).ShouldBeFalse("the token text is never audited");
    }
}

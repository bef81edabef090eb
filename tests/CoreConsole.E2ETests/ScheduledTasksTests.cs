using System.Net;
using System.Text.Json;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// An admin creates a PXE profile, schedules a push task to a subnet in the wizard and watches it complete, against five agents
/// that enrolled over the real agent API and answer signed pushes on a real socket.
/// </summary>
public sealed class ScheduledTasksTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Subnet = "10.90.1.0/24";
    private readonly ConsoleAppFactory _app = new();
    private WebApplication? _pushListener;
    private readonly Dictionary<Guid, (byte[] Key, AgentCredentials Credentials)> _agents = [];
    private int _applied;

    public async ValueTask InitializeAsync()
    {
        // A push listener for the fleet: verifies the core's signature, "installs" ApplySettings, answers like an agent.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _pushListener = builder.Build();
        var replay = new PushReplayGuard();
        _pushListener.MapPost(AgentProtocol.Push, (Delegate)(async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var verdict = AgentAuth.VerifyPush(http.Request.Headers.Authorization.ToString(), http.Request.Headers[AgentAuth.TimestampHeader].ToString(),
                buffer.ToArray(), id => _agents.TryGetValue(id, out var a) ? a.Key : null, DateTimeOffset.UtcNow, replay, out _);
            if (verdict != PushVerification.Valid) return Results.Unauthorized();
            var request = JsonSerializer.Deserialize<PushRequest>(buffer.ToArray(), AgentProtocol.JsonOptions)!;
            Interlocked.Increment(ref _applied);
            return Results.Json(new PushResponse { Accepted = true, AppliedRevisionId = request.SettingRevision?.Id }, AgentProtocol.JsonOptions);
        }));
        await _pushListener.StartAsync();
        var pushUrl = _pushListener.Urls.First();

        string token;
        using (SystemContext.Enter())
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var created = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CreateEnrollmentTokenCommand("e2e", null, null));
            token = created.Value.Token;
        }
        var core = new AgentCoreClient(new HttpClient { BaseAddress = _app.BaseAddress });
        for (var i = 1; i <= 5; i++)
        {
            var reply = await core.EnrollAsync(new EnrollRequest { Token = token, HostName = $"lab-mac-{i:D2}", SerialNumber = $"E2E{i:D5}", Model = "iMac18,3" }, default);
            var credentials = new AgentCredentials(reply.AgentId, reply.Secret);
            _agents[reply.AgentId] = (AgentAuth.DerivePushKey(reply.Secret), credentials);
            await core.CheckInAsync(credentials, new CheckInRequest
            {
                HostName = $"lab-mac-{i:D2}", OsName = "macOS", OsVersion = "10.13.6", Model = "iMac18,3", SerialNumber = $"E2E{i:D5}",
                Ipv4 = [new Ipv4Interface($"10.90.1.{10 + i}", 24)], AgentVersion = "e2e", PushUrl = pushUrl, SentAt = DateTimeOffset.UtcNow,
            }, default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pushListener is not null) await _pushListener.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Create_a_profile_schedule_a_push_task_to_a_subnet_and_watch_it_complete()
    {
        var page = await _app.OpenPageAsync(browser, 1400, 900);
        var baseAddress = _app.BaseAddress;
        await page.GotoAsync(new Uri(baseAddress, "setup").ToString());
        await page.FillAsync("#email", ConsolePages.AdminEmail);
        await page.FillAsync("#password", ConsolePages.AdminPassword);
        await page.FillAsync("#confirm", ConsolePages.AdminPassword);
        await page.ClickAsync("#create-admin");
        await page.WaitForCircuitAsync();

        // 1. A profile that turns subnet services and PXE on.
        await page.GotoAsync(new Uri(baseAddress, "agent-settings").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#settings-table")).ToContainTextAsync("Default");
        await page.ClickAsync("#new-setting");
        await page.FillAsync("#setting-name", "PXE lab");
        await page.ClickAsync("#setting-sess");
        await page.ClickAsync("#setting-pxe");
        await page.ClickAsync("#save-setting");
        await Expect(page.Locator("#settings-table")).ToContainTextAsync("PXE lab");

        // 2. The wizard: name and setting, the subnet, now, dry run, schedule.
        await page.GotoAsync(new Uri(baseAddress, "tasks").ToString());
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#new-task");
        await page.FillAsync("#task-name", "Enable PXE in the lab");
        await page.Locator(".mud-dialog .mud-select").Filter(new() { HasText = "Setting" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "PXE lab" }).ClickAsync();
        await page.ClickAsync("#wizard-next");
        await page.Locator(".mud-dialog .mud-select").Filter(new() { HasText = "Subnets" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = Subnet }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#task-targets")).ToContainTextAsync(Subnet);
        await page.ClickAsync("#wizard-next");
        await Expect(page.Locator("#task-zone-note")).ToContainTextAsync("Times are in");
        await page.ClickAsync("#wizard-next");
        await Expect(page.Locator("#dry-run")).ToContainTextAsync("5 device(s) will get PXE lab revision 1");
        await page.ScreenshotAsync("70-task-wizard-dry-run");
        await page.ClickAsync("#wizard-schedule");

        // 3. The task page follows the rollout live until every target succeeded.
        await page.WaitForURLAsync("**/tasks/*");
        await Expect(page.Locator("#task-state")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        await Expect(page.Locator("#task-progress")).ToContainTextAsync("5 of 5 target(s) finished");
        await Expect(page.Locator("[data-state=Succeeded]")).ToContainTextAsync("Succeeded: 5");
        await Expect(page.Locator("#targets-table")).ToContainTextAsync("lab-mac-03");
        await page.ScreenshotAsync("71-task-completed");
        _applied.ShouldBe(5);

        // 4. Drift view: the profile's page shows the devices now meant to run it.
        await page.GotoAsync(new Uri(baseAddress, "agent-settings").ToString());
        await page.WaitForCircuitAsync();
        await page.Locator("#settings-table tr").Filter(new() { HasText = "PXE lab" }).Locator("td").First.ClickAsync();
        // The first profile is selected on load; wait for the click to switch the detail over before reading it (slow CI).
        await Expect(page.GetByText("Devices meant to run PXE lab")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#deployment-table")).ToContainTextAsync("lab-mac-01", new() { Timeout = 15_000 });
        await page.ScreenshotAsync("72-agent-settings");
    }
}

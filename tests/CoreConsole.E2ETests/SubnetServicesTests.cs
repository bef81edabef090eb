using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Application.Features.Subnets.Election;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// Enable PXE on a subnet in the browser, watch the representative get elected and serve, pin the other agent, watch the
/// switch, and see the SIP whitelist warning. The two agents are simulated in-process: they check in through the real
/// election every second and report "serving" for the term they were granted.
/// </summary>
public sealed class SubnetServicesTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly SubnetConsoleFactory _app = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _agents;
    private Microsoft.Playwright.IPage? _page;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_agents is not null) await _agents.ContinueWith(_ => { });
        if (_page is not null) await _page.Context.CloseAsync(); // end the Blazor circuit before the host stops
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Enable_PXE_see_the_representative_elected_pin_the_other_agent_and_see_the_switch_and_whitelist_warning()
    {
        var page = _page = await browser.NewPageAsync(1400, 900);
        var baseAddress = _app.BaseAddress;
        var (subnetId, first, second) = await SeedAsync();
        _agents = RunAgentsAsync([first, second], _stop.Token);

        await page.SignInAsync(baseAddress, ConsolePages.AdminEmail, ConsolePages.AdminPassword);
        await page.WaitForCircuitAsync();
        await page.GotoAsync(new Uri(baseAddress, "subnets").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Subnet services");

        var row = page.Locator("tr", new() { HasText = "10.20.0.0/24" });
        await Expect(row).ToContainTextAsync("Disabled");
        await row.Locator(".pxe-switch input").ClickAsync();
        await Expect(row).ToContainTextAsync("Serving", new() { Timeout = 15_000 });
        await Expect(row.Locator(".representative")).ToContainTextAsync("e2e-strong"); // better capability wins
        await page.ScreenshotAsync("subnets-serving");

        await row.Locator("a.subnet-link").ClickAsync();
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("10.20.0.0/24");
        // Publish a whitelist holding only the current representative's address.
        foreach (var box in await page.Locator(".whitelist-choice input").AllAsync())
            if (await box.IsCheckedAsync() && await box.EvaluateAsync<string>("e => e.closest('label').textContent") is { } label && label.Contains("10.20.0.11"))
                await box.ClickAsync();
        await page.ClickAsync("#publish-whitelist");
        await Expect(page.Locator("#whitelist-commands")).ToContainTextAsync("csrutil netboot add 10.20.0.10");

        // Pin the other agent: it takes over (the representative hands over first) and lands outside the whitelist.
        await page.Locator("tr.candidate-row", new() { HasText = "e2e-weak" }).Locator("button.pin-button").ClickAsync();
        await Expect(page.Locator("#representative-name")).ToContainTextAsync("e2e-weak", new() { Timeout = 15_000 });
        await Expect(page.Locator("#representative-panel")).ToContainTextAsync("Serving", new() { Timeout = 15_000 });
        await Expect(page.Locator("#whitelist-warning")).ToContainTextAsync("outside the published whitelist");
        await Expect(page.Locator("#history-table")).ToContainTextAsync("pinned e2e-weak outranks e2e-strong");
        await page.ScreenshotAsync("subnet-detail-pinned-whitelist-warning");

        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("text=Outside SIP whitelist")).ToBeVisibleAsync();
    }

    private async Task<(Guid Subnet, Guid First, Guid Second)> SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var subnet = new Subnet
        {
            Id = Guid.NewGuid(), Cidr = "10.20.0.0/24", NetworkAddress = "10.20.0.0", NetworkNumber = 0x0A140000, PrefixLength = 24,
            Source = SubnetSource.Discovered, CreatedAt = now,
        };
        Guid Add(AppDbContext db, string name, string address, int cores, bool wired)
        {
            var device = new Device { Id = Guid.NewGuid(), HostName = name, FirstSeenAt = now, LastSeenAt = now, InventoryAt = now };
            var agent = new Agent
            {
                Id = Guid.NewGuid(), DeviceId = device.Id, EnrolledAt = now, LastCheckInAt = now, EnableSubnetServices = true, EnablePxe = true,
                Cores = cores, MemoryBytes = 16L << 30, WiredLink = wired, CheckInIntervalSeconds = 5,
            };
            db.Devices.Add(device);
            db.Agents.Add(agent);
            db.AgentAddresses.Add(new AgentAddress { AgentId = agent.Id, SubnetId = subnet.Id, Address = address });
            return agent.Id;
        }
        var factory = _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.Subnets.Add(subnet);
        var strong = Add(db, "e2e-strong", "10.20.0.10", 16, true);
        var weak = Add(db, "e2e-weak", "10.20.0.11", 2, false);
        await db.SaveChangesAsync();
        return (subnet.Id, strong, weak);
    }

    /// <summary>Each simulated agent checks in every second and reports serving the term it holds.</summary>
    private async Task RunAgentsAsync(Guid[] agents, CancellationToken ct)
    {
        var election = _app.Services.GetRequiredService<SubnetElection>();
        var factory = _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var held = new Dictionary<Guid, RepresentativeRole?>();
        while (!ct.IsCancellationRequested)
        {
            foreach (var id in agents)
            {
                var role = held.GetValueOrDefault(id);
                var status = role is null ? null : new RepresentativeStatus { Subnet = role.Subnet, Term = role.Term, State = RepresentativeState.Serving };
                await using (var db = await factory.CreateDbContextAsync(ct))
                    await db.Agents.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
                        .SetProperty(a => a.LastCheckInAt, DateTimeOffset.UtcNow)
                        .SetProperty(a => a.RepresentativeSubnet, status != null ? status.Subnet : null)
                        .SetProperty(a => a.RepresentativeTerm, status != null ? status.Term : (long?)null)
                        .SetProperty(a => a.RepresentativeState, status != null ? status.State : (RepresentativeState?)null), ct);
                held[id] = (await election.OnCheckInAsync(id, status, ct)).Role;
            }
            await Task.Delay(1000, ct);
        }
    }

    private sealed class SubnetConsoleFactory : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "coreconsole-e2e-subnets-" + Guid.NewGuid().ToString("N")[..8]);

        public SubnetConsoleFactory() => UseKestrel(0);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("CoreConsole:DataDirectory", _dataDirectory);
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Setup:AdminEmail", ConsolePages.AdminEmail);
            builder.UseSetting("Setup:AdminPassword", ConsolePages.AdminPassword);
        }

        public Uri BaseAddress
        {
            get
            {
                StartServer();
                return ClientOptions.BaseAddress;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

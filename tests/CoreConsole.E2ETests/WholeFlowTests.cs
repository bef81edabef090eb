extern alias agent;

using System.Diagnostics;
using System.Net.NetworkInformation;
using agent::CoreConsole.Agent.NetBoot;
using System.Net;
using System.Text.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.IntegrationTests.NetBootImages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// The product as one system, the way an admin and a Mac meet it: the console on its embedded SQLite default with a share
/// built from the real NBImageInfo.plist fixtures, three real <c>coreconsole-agent</c> processes on two loopback subnets,
/// everything configured in headless Chromium, then the Mac-shaped <c>bsdp probe</c> asking each subnet's representative,
/// the booter fetched over TFTP with curl and the root DMG over HTTP, and a kill -9 of one representative on stage.
/// </summary>
public sealed class WholeFlowTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string LabSubnet = "127.0.11.0/24";
    private const string StudioSubnet = "127.0.12.0/24";
    private const string DefaultImage = "NetRestore-10.5.8";   // Index 45, ppc + i386, no model whitelist
    private const string OverrideImage = "DeployStudio-10.8";  // Index 1082, its whitelist holds MacBookPro10,1
    private const string OverrideModel = "MacBookPro10,1";
    private const string OtherModel = "iMac7,1";               // not overridden: boots the default
    private static readonly TimeSpan FailoverTarget = TimeSpan.FromSeconds(10);

    private sealed record Agent(string Name, string Ip, string Model, int BsdpPort, int TftpPort)
    {
        public string DataDirectory { get; set; } = "";
        public AgentRun? Process { get; set; }
    }

    private readonly ConsoleAppFactory _app = new();
    private readonly List<Agent> _agents = [];
    private int _probeHost = 100;

    private string ShareRoot => Path.Combine(_app.DataDirectory, "share");

    public ValueTask InitializeAsync()
    {
        TestShare.Build(ShareRoot);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
            if (agent.Process is { } p) await p.DisposeAsync();
        await _app.DisposeAsync();
        foreach (var agent in _agents)
            try { Directory.Delete(agent.DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static ILocator Option(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = text }).First;

    [Fact]
    public async Task An_admin_sets_up_NetBoot_in_the_browser_and_Macs_on_two_subnets_boot_what_was_mapped_also_after_a_kill_9()
    {
        Assert.SkipUnless(AgentCli.CanBindPrivileged(IPAddress.Parse("127.0.11.99")), AgentCli.NoPrivilegedPort);
        Curl.SkipIfMissing(); // the real TFTP client of this test
        var ct = TestContext.Current.CancellationToken;
        var page = await _app.OpenPageAsync(browser, 1400, 1000);
        var core = _app.BaseAddress;

        // 1. First run: the setup page creates the administrator.
        await page.GotoAsync(core.ToString());
        await page.WaitForURLAsync("**/setup");
        await page.CompleteSetupAsync(core);

        // 2. An enrolment token for three machines.
        await GoAsync(page, "inventory?tab=tokens");
        await page.ClickAsync("#add-token");
        await page.FillAsync("#token-name", "E2E lab and studio");
        await page.FillAsync("#token-max-uses", "3");
        await page.ClickAsync("#create-token");
        var token = await page.Locator("#created-token").InputValueAsync();
        token.ShouldStartWith("cce_");
        await page.ClickAsync("#token-done");

        // 3. Three real agents enrol with it: two on the lab subnet, one in the studio. BSDP and TFTP on high ports of their
        //    own addresses (a Mac needs :67/:69; the probe below still receives on :68 like one).
        foreach (var (name, ip, model) in new[] { ("lab-a", "127.0.11.10", OverrideModel), ("lab-b", "127.0.11.11", "iMac12,1"), ("studio-a", "127.0.12.10", "Macmini6,2") })
        {
            var address = IPAddress.Parse(ip);
            var agent = new Agent(name, ip, model, AgentCli.FreeUdpPort(address), AgentCli.FreeUdpPort(address))
            {
                DataDirectory = Path.Combine(Path.GetTempPath(), $"coreconsole-e2e-flow-{name}-{Guid.NewGuid().ToString("N")[..6]}"),
            };
            _agents.Add(agent);
            var (code, stdout, stderr) = await AgentCli.RunAsync(TimeSpan.FromSeconds(60), "enroll", "--core", core.ToString().TrimEnd('/'), "--token", token,
                "--data-dir", agent.DataDirectory, "--model", model, "--ip", ip + "/24", "--hostname", name, "--serial", "C02FLOW" + name.ToUpperInvariant().Replace("-", ""),
                // Three machines, not three agents on one: each its own MAC, as inventory keys devices by serial, else MAC.
                "--mac", $"02:CC:E2:E0:{_agents.Count:X2}:01");
            code.ShouldBe(0, stdout + stderr);
            agent.Process = new AgentRun("run", "--data-dir", agent.DataDirectory, "--bsdp-listen", $"{ip}:{agent.BsdpPort}", "--tftp-listen", $"{ip}:{agent.TftpPort}");
        }

        // …and appear in inventory with their models and subnets.
        await GoAsync(page, "inventory?tab=devices");
        var grid = page.Locator("#devices-grid");
        for (var i = 0; i < 60; i++)
        {
            var shown = await grid.InnerTextAsync();
            if (_agents.All(a => shown.Contains(a.Ip + "/24", StringComparison.Ordinal))) break;
            await Task.Delay(500, ct);
            await GoAsync(page, "inventory?tab=devices");
        }
        foreach (var agent in _agents)
        {
            var row = page.Locator("#devices-grid tr", new() { HasText = agent.Name });
            await Expect(row).ToContainTextAsync(agent.Model);
            await Expect(row).ToContainTextAsync(agent.Ip + "/24");
        }
        await page.ScreenshotAsync("80-flow-inventory");

        // 4. Browse the share, the default image and an override for one inventory model; saving publishes.
        await GoAsync(page, "netboot-images");
        await page.ClickAsync("#browse");
        await Expect(page.Locator("#browse-summary")).ToContainTextAsync("Found 7 .nbi folder(s)");
        await page.Locator("#default-image").ClickAsync();
        await Option(page, $"{DefaultImage} (Index 45)").ClickAsync();
        await page.Locator("#new-override-model").ClickAsync();
        await Option(page, OverrideModel).ClickAsync();
        await page.Locator("#new-override-image").ClickAsync();
        await Option(page, $"{OverrideImage} (Index 1082)").ClickAsync();
        await page.ClickAsync("#add-override");
        await Expect(page.Locator($"tr.override-row[data-model='{OverrideModel}'] .override-warning")).ToHaveCountAsync(0);
        await page.ClickAsync("#save-mapping");
        await Expect(page.Locator("#published")).ToContainTextAsync("Published catalogue version 1");

        // 5. PXE on both subnets. Nobody may serve yet (new agents run the Default setting), and the page says why.
        await GoAsync(page, "subnets");
        foreach (var (cidr, agents) in new[] { (LabSubnet, 2), (StudioSubnet, 1) })
        {
            var row = SubnetRow(page, cidr);
            await Expect(row).ToContainTextAsync("Disabled");
            await row.Locator(".pxe-switch input").ClickAsync();
            await Expect(row.Locator(".subnet-state")).ToContainTextAsync("No candidate");
            await Expect(row.Locator(".state-reason")).ToContainTextAsync(
                $"{(agents == 1 ? "1 agent" : $"{agents} agents")} on this subnet, but none has self-electing subnet services and the PXE service enabled");
        }
        await page.ScreenshotAsync("81-flow-pxe-enabled-no-candidate");

        // 6. An agent-settings profile with SESS and PXE on…
        await GoAsync(page, "agent-settings");
        await page.ClickAsync("#new-setting");
        await page.FillAsync("#setting-name", "PXE servers");
        await page.ClickAsync("#setting-sess");
        await page.ClickAsync("#setting-pxe");
        await page.ClickAsync("#save-setting");
        await Expect(page.Locator("#settings-table")).ToContainTextAsync("PXE servers");

        // 7. …pushed to every agent with a "Change settings" task on both subnets.
        await GoAsync(page, "tasks");
        await page.ClickAsync("#new-task");
        await page.FillAsync("#task-name", "PXE servers everywhere");
        await page.Locator(".mud-dialog .mud-select").Filter(new() { HasText = "Setting" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "PXE servers" }).ClickAsync();
        await page.ClickAsync("#wizard-next");
        await page.Locator(".mud-dialog .mud-select").Filter(new() { HasText = "Subnets" }).First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = LabSubnet }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = StudioSubnet }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#task-targets")).ToContainTextAsync(StudioSubnet);
        await page.ClickAsync("#wizard-next");
        await page.ClickAsync("#wizard-next");
        await Expect(page.Locator("#dry-run")).ToContainTextAsync("3 device(s) will get PXE servers revision 1");
        await page.ClickAsync("#wizard-schedule");
        await page.WaitForURLAsync("**/tasks/*");
        await Expect(page.Locator("#task-state")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-state=Succeeded]")).ToContainTextAsync("Succeeded: 3");
        await page.ScreenshotAsync("82-flow-task-completed");

        // 8. Each subnet elects a representative, which syncs the boot files and serves.
        await GoAsync(page, "subnets");
        foreach (var cidr in new[] { LabSubnet, StudioSubnet })
            await Expect(SubnetRow(page, cidr)).ToContainTextAsync("Serving", new() { Timeout = 60_000 });
        await page.ScreenshotAsync("83-flow-subnets-serving");
        var labRep = await RepresentativeAsync(page, LabSubnet);
        var studioRep = await RepresentativeAsync(page, StudioSubnet);
        studioRep.Name.ShouldBe("studio-a");

        // 9. A Mac of each model on each subnet: LIST offers the mapped image as default; SELECT gives booter and root path;
        //    the booter comes over TFTP (curl) and the DMG over HTTP, both byte-identical to the share.
        foreach (var rep in new[] { labRep, studioRep })
        {
            var forOverride = await ListAsync(rep, OverrideModel, ct);
            (forOverride.GetProperty("defaultImage").GetUInt32() & 0xFFFF).ShouldBe(1082u, $"{OverrideModel} at {rep.Name} boots its override");
            var forOther = await ListAsync(rep, OtherModel, ct);
            (forOther.GetProperty("defaultImage").GetUInt32() & 0xFFFF).ShouldBe(45u, $"{OtherModel} at {rep.Name} boots the default");
            forOther.GetProperty("serverIdentifier").GetString().ShouldBe(rep.Ip);

            foreach (var (model, folder) in new[] { (OverrideModel, OverrideImage), (OtherModel, DefaultImage) })
            {
                var (code, json, stderr) = await ProbeAsync(rep, model, ct, "--select", "default");
                code.ShouldBe(0, stderr);
                var select = json.GetProperty("select");
                select.GetProperty("outcome").GetString().ShouldBe("select");
                select.GetProperty("siaddr").GetString().ShouldBe(rep.Ip);
                var bootFile = select.GetProperty("bootFile").GetString()!;
                bootFile.ShouldBe($"{folder}.nbi/i386/booter");
                var rootPath = select.GetProperty("rootPath").GetString()!;
                rootPath.ShouldStartWith(new Uri(core, $"vboot/NetBoot/{folder}.nbi/").ToString());

                var booter = await Curl.RunAsync($"tftp://{rep.Ip}:{rep.TftpPort}/{bootFile}");
                booter.Body.ShouldBe(await File.ReadAllBytesAsync(Path.Combine(ShareRoot, bootFile), ct), $"TFTP {bootFile} from {rep.Name}");

                using var http = new HttpClient();
                using var dmg = await http.GetAsync(rootPath, ct);
                dmg.StatusCode.ShouldBe(HttpStatusCode.OK);
                dmg.Content.Headers.ContentType?.MediaType.ShouldBe("application/octet-stream");
                var relative = Uri.UnescapeDataString(new Uri(rootPath).AbsolutePath["/vboot/NetBoot/".Length..]);
                (await dmg.Content.ReadAsByteArrayAsync(ct)).ShouldBe(await File.ReadAllBytesAsync(Path.Combine(ShareRoot, relative), ct), $"HTTP {rootPath}");
            }
        }

        // 10. Publish a SIP whitelist on the lab subnet holding only the current representative…
        var standby = _agents.Single(a => a.Ip.StartsWith("127.0.11.", StringComparison.Ordinal) && a.Name != labRep.Name);
        await SubnetRow(page, LabSubnet).Locator("a.subnet-link").ClickAsync();
        await Expect(page.Locator("#page-title")).ToHaveTextAsync(LabSubnet);
        foreach (var box in await page.Locator(".whitelist-choice").AllAsync())
        {
            var label = await box.InnerTextAsync();
            var input = box.Locator("input");
            if (label.Contains(labRep.Ip) != await input.IsCheckedAsync()) await input.ClickAsync();
        }
        await page.ClickAsync("#publish-whitelist");
        await Expect(page.Locator("#whitelist-commands")).ToHaveTextAsync($"csrutil netboot add {labRep.Ip}");

        // 11. …and kill -9 it. A Mac asking the other lab agent is answered within the failover target. The same probe as
        //     the CLI's, in process, repeating its INFORM[LIST] every 250 ms like a Mac's retries, so the clock stops
        //     when the reply arrives rather than when a probe process has started and exited.
        using var mac = new BsdpProbe(new BsdpProbeOptions
        {
            Server = new IPEndPoint(IPAddress.Parse(standby.Ip), standby.BsdpPort), Bind = IPAddress.Parse("127.0.11.99"),
            Model = OtherModel, Mac = PhysicalAddress.Parse("02-CC-00-00-FA-11"), Timeout = TimeSpan.FromMilliseconds(250),
        });
        var clock = Stopwatch.StartNew();
        await labRep.Process!.Kill9Async();
        ProbeListReply? answered = null;
        while (answered is null && clock.Elapsed < FailoverTarget + TimeSpan.FromSeconds(20)) answered = await mac.ListAsync(ct);
        var failover = clock.Elapsed;
        var report = $"kill -9 of {labRep.Name} → {standby.Name} answered INFORM[LIST] after {failover.TotalSeconds:F1} s";
        TestContext.Current.SendDiagnosticMessage(report);
        Console.WriteLine("E2E failover: " + report); // docs/benchmarks.md quotes these runs
        answered.ShouldNotBeNull($"{standby.Name} never answered after the kill ({failover.TotalSeconds:F1} s)\n{standby.Process!.Output}");
        failover.ShouldBeLessThanOrEqualTo(FailoverTarget, report);
        (answered.DefaultImage!.Value & 0xFFFF).ShouldBe(45u);
        answered.ServerIdentifier.ShouldBe(standby.Ip);

        // The browser shows the new representative and that it is outside the published whitelist.
        await Expect(page.Locator("#representative-name")).ToContainTextAsync(standby.Name, new() { Timeout = 15_000 });
        await Expect(page.Locator("#whitelist-warning")).ToContainTextAsync("outside the published whitelist", new() { Timeout = 15_000 });
        await page.ScreenshotAsync("84-flow-failover-whitelist-warning");
        await GoAsync(page, "");
        await Expect(page.Locator("text=Outside SIP whitelist")).ToBeVisibleAsync();
        await page.ScreenshotAsync("85-flow-dashboard");

        // 12. All of it is in the audit log: what the admin did, the elections and the warning.
        await GoAsync(page, "audit");
        var audit = page.Locator("#audit-grid");
        foreach (var action in new[] { "ElectionLapsed", "ElectionElected", "WhitelistWarning", "PublishWhitelist" }) // the newest page
            await Expect(audit).ToContainTextAsync(action);
        await page.ScreenshotAsync("86-flow-audit");
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        var actions = await db.AuditEntries.Select(a => a.Action).Distinct().ToListAsync(ct);
        foreach (var expected in new[] { "CreateFirstAdministrator", "CreateEnrollmentToken", "SaveNetBootMapping", "SetPxeEnabled", "CreateAgentSetting",
                     "CreateScheduledTask", "PublishWhitelist", "ElectionElected", "ElectionLapsed", "WhitelistWarning" })
            actions.ShouldContain(a => a.StartsWith(expected, StringComparison.Ordinal), $"audit actions: {string.Join(", ", actions)}");
    }

    private static ILocator SubnetRow(IPage page, string cidr) => page.Locator("tr", new() { HasText = cidr }).Filter(new() { Has = page.Locator(".pxe-switch") });

    private async Task<Agent> RepresentativeAsync(IPage page, string cidr)
    {
        var text = await SubnetRow(page, cidr).Locator(".representative").InnerTextAsync();
        return _agents.Single(a => text.Contains(a.Name, StringComparison.Ordinal));
    }

    private static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(page.Url).GetLeftPart(UriPartial.Authority) + "/" + path);
        await page.WaitForCircuitAsync();
    }

    private async Task<JsonElement> ListAsync(Agent rep, string model, CancellationToken ct)
    {
        var (code, json, stderr) = await ProbeAsync(rep, model, ct);
        code.ShouldBe(0, $"{rep.Name} did not answer INFORM[LIST] for {model}: {stderr}\n{rep.Process!.Output}");
        return json.GetProperty("list");
    }

    /// <summary><c>coreconsole-agent bsdp probe</c> as a Mac of <paramref name="model"/> on the representative's subnet.</summary>
    private async Task<(int ExitCode, JsonElement Json, string StdErr)> ProbeAsync(Agent server, string model, CancellationToken ct, params string[] extra)
    {
        var n = Interlocked.Increment(ref _probeHost);
        var bind = server.Ip[..(server.Ip.LastIndexOf('.') + 1)] + (n % 150 + 100);
        var mac = $"02:CC:00:00:{n / 256 % 256:X2}:{n % 256:X2}";
        string[] args = ["bsdp", "probe", "--server", server.Ip, "--port", server.BsdpPort.ToString(), "--model", model, "--mac", mac, "--bind", bind, "--json", .. extra];
        var (code, stdout, stderr) = await AgentCli.RunAsync(TimeSpan.FromSeconds(30), args);
        ct.ThrowIfCancellationRequested();
        var json = string.IsNullOrWhiteSpace(stdout) ? default : JsonDocument.Parse(stdout).RootElement.Clone();
        return (code, json, stderr);
    }
}

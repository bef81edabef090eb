using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// An administrator creates an enrolment token in the browser, a real agent process enrols with it and checks in,
/// and the device shows up with its model and subnet.
/// </summary>
public sealed class InventoryTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ConsoleAppFactory _app = new();
    private readonly string _agentData = Path.Combine(Path.GetTempPath(), "coreconsole-e2e-agent-" + Guid.NewGuid().ToString("N")[..8]);
    private AgentRun? _agent;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_agentData, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task An_administrator_creates_a_token_an_agent_enrols_with_it_and_the_device_appears_with_model_and_subnet()
    {
        var page = await _app.OpenPageAsync(browser, 1400, 900);
        var baseAddress = _app.BaseAddress;
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForURLAsync("**/setup");
        await page.FillAsync("#email", ConsolePages.AdminEmail);
        await page.FillAsync("#password", ConsolePages.AdminPassword);
        await page.FillAsync("#confirm", ConsolePages.AdminPassword);
        await page.ClickAsync("#create-admin");
        await page.WaitForCircuitAsync();

        // Create a one-time token; bad input first (no name) shows a field error and creates nothing.
        await page.GotoAsync(new Uri(baseAddress, "inventory?tab=tokens").ToString());
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#add-token");
        await page.ClickAsync("#create-token");
        await Expect(page.Locator(".mud-dialog .mud-input-error").First).ToBeVisibleAsync();
        await page.FillAsync("#token-name", "Lab 3 reimage");
        // Out-of-range numbers are refused at the field, not quietly clamped.
        await page.FillAsync("#token-max-uses", "0");
        await page.FillAsync("#token-valid-days", "-1");
        await page.ClickAsync("#create-token");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Allow between 1 and 1,000,000 uses");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Between 1 and 3650 days");
        await page.FillAsync("#token-max-uses", "1");
        await page.FillAsync("#token-valid-days", "7");
        await page.ClickAsync("#create-token");
        var tokenField = page.Locator("#created-token");
        await Expect(tokenField).ToBeVisibleAsync();
        var token = await tokenField.InputValueAsync();
        token.ShouldStartWith("cce_");
        await page.ScreenshotAsync("50-inventory-token-created");
        await page.ClickAsync("#token-done");
        await Expect(page.Locator("#tokens-table")).ToContainTextAsync("Lab 3 reimage");
        await Expect(page.Locator("#tokens-table .token-uses")).ToContainTextAsync("0 of 1");

        // A real agent process enrols with the token from the browser and starts checking in.
        var (code, stdout, stderr) = await AgentCli.RunAsync(TimeSpan.FromSeconds(60), "enroll", "--core", baseAddress.ToString().TrimEnd('/'), "--token", token, "--data-dir", _agentData,
            "--model", "MacBookPro14,1", "--ip", "127.0.3.10/24", "--serial", "C02E2E000001", "--hostname", "lab3-mac-07");
        code.ShouldBe(0, stdout + stderr);
        _agent = new AgentRun("run", "--data-dir", _agentData);

        // The device appears (reload until the first check-in has landed).
        await page.GotoAsync(new Uri(baseAddress, "inventory?tab=devices").ToString());
        await page.WaitForCircuitAsync();
        var grid = page.Locator("#devices-grid");
        for (var i = 0; i < 40 && !(await grid.InnerTextAsync()).Contains("127.0.3.10/24"); i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
        }
        await Expect(grid).ToContainTextAsync("lab3-mac-07");
        await Expect(grid).ToContainTextAsync("MacBookPro14,1");
        await Expect(grid).ToContainTextAsync("127.0.3.10/24");
        await page.ScreenshotAsync("51-inventory-devices");

        await page.ClickAsync("a.device-link:has-text('lab3-mac-07')");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("lab3-mac-07");
        await Expect(page.Locator("#device-model")).ToHaveTextAsync("MacBookPro14,1");
        await Expect(page.Locator("#device-subnets")).ToContainTextAsync("127.0.3.0/24");
        await Expect(page.Locator("#device-status")).ToHaveTextAsync("Online");
        await page.ScreenshotAsync("52-inventory-device-detail");

        // The token's use count, and the models list the NetBoot mapping uses.
        await page.GotoAsync(new Uri(baseAddress, "inventory?tab=tokens").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#tokens-table .token-uses")).ToContainTextAsync("1 of 1");
        await page.GotoAsync(new Uri(baseAddress, "inventory?tab=models").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#models-table")).ToContainTextAsync("MacBookPro14,1");
        await page.ScreenshotAsync("53-inventory-models");
    }
}

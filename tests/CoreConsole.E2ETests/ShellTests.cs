using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// The console shell as a newcomer meets it: first-run setup, sign-in, every navigation entry, roles, sign-out.
/// </summary>
public sealed class ShellTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ConsoleAppFactory _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static readonly (string Label, string Path, string Title)[] Navigation =
    [
        ("Dashboard", "", "Dashboard"),
        ("NetBoot images", "netboot-images", "NetBoot images"),
        ("Subnet services", "subnets", "Subnet services"),
        ("Agent settings", "agent-settings", "Agent settings"),
        ("Scheduled tasks", "tasks", "Scheduled tasks"),
        ("Inventory", "inventory", "Inventory"),
        ("Audit log", "audit", "Audit log"),
        ("Jobs", "work-items", "Jobs"),
        ("Users", "users", "Users"),
    ];

    [Fact]
    public async Task First_run_setup_then_every_page_then_viewer_is_refused_then_sign_out()
    {
        var page = await _app.OpenPageAsync(browser);
        var baseAddress = _app.BaseAddress;

        // First run: any page leads to sign-in, which sends a fresh install to setup.
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForURLAsync("**/setup");
        await page.ScreenshotAsync("01-setup");

        // Bad input first: field errors, nothing created.
        await page.FillAsync("#email", "not-an-email");
        await page.FillAsync("#password", "short");
        await page.FillAsync("#confirm", "other");
        await page.ClickAsync("#create-admin");
        await Expect(page.Locator(".validation-message").First).ToBeVisibleAsync();
        await Expect(page.Locator("text=Enter a valid email address.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("02-setup-errors");

        await page.CompleteSetupAsync(baseAddress);
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Dashboard");

        // Setup closes once an administrator exists.
        await page.GotoAsync(new Uri(baseAddress, "setup").ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Setup is done");

        // Every navigation entry, clicked like a person would.
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForCircuitAsync();
        foreach (var (label, path, title) in Navigation)
        {
            await page.Locator(".mud-nav-link", new() { HasTextString = label }).First.ClickAsync();
            await page.WaitForURLAsync(new Uri(baseAddress, path).ToString());
            await Expect(page.Locator("#page-title")).ToHaveTextAsync(title);
            await page.ScreenshotAsync($"10-{(path.Length == 0 ? "dashboard" : path)}");
        }

        // Unknown route: the friendly 404.
        await page.GotoAsync(new Uri(baseAddress, "no/such/page").ToString());
        await Expect(page.Locator("#not-found-title")).ToBeVisibleAsync();
        await page.ScreenshotAsync("20-not-found");
        // A record that does not exist is a 404 too, with the page saying what is missing.
        var missing = await page.GotoAsync(new Uri(baseAddress, $"subnets/{Guid.NewGuid()}").ToString());
        missing!.Status.ShouldBe(404);
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Subnet not found");

        // An administrator adds a Viewer on the Users page.
        await page.GotoAsync(new Uri(baseAddress, "users").ToString());
        await page.WaitForCircuitAsync();
        await page.ClickAsync("#add-user");
        await page.FillAsync("#new-user-email", "viewer@example.org");
        await page.FillAsync("#new-user-password", "x");
        await page.ClickAsync("#create-user");
        await Expect(page.Locator(".mud-dialog .mud-input-helper-text.mud-input-error").First).ToBeVisibleAsync(); // field error, no user made
        await page.FillAsync("#new-user-password", "Viewer-Password-42");
        await page.ClickAsync("#create-user");
        await Expect(page.Locator("#users-grid")).ToContainTextAsync("viewer@example.org");
        await page.ScreenshotAsync("30-users");

        // Tablet width still works: the drawer collapses, pages stay usable.
        await page.SetViewportSizeAsync(820, 1180);
        await page.GotoAsync(new Uri(baseAddress, "audit").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#audit-grid")).ToContainTextAsync("CreateUser");
        await page.ScreenshotAsync("31-audit-tablet");
        await page.SetViewportSizeAsync(1280, 860);

        await page.SignOutAsync();

        // The Viewer signs in: no Users entry, and the Users page refuses them.
        await page.SignInAsync(baseAddress, "viewer@example.org", "Viewer-Password-42");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator(".mud-nav-link", new() { HasTextString = "Users" })).ToHaveCountAsync(0);
        await page.GotoAsync(new Uri(baseAddress, "users").ToString());
        await page.WaitForURLAsync("**/Account/AccessDenied**");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Access denied");
        await page.ScreenshotAsync("40-viewer-refused");
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForCircuitAsync();
        await page.SignOutAsync();

        // Signed out means signed out.
        await page.GotoAsync(new Uri(baseAddress, "users").ToString());
        await page.WaitForURLAsync("**/Account/Login**");
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message_and_no_session()
    {
        var page = await _app.OpenPageAsync(browser);
        var baseAddress = _app.BaseAddress;
        await page.CompleteSetupAsync(baseAddress);
        await page.SignOutAsync();

        await page.SignInAsync(baseAddress, ConsolePages.AdminEmail, "Wrong-Password-1");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("The email or password is not correct.");
        await page.ScreenshotAsync("03-login-error");
        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForURLAsync("**/Account/Login**");
    }
}

using Microsoft.Playwright;

namespace CoreConsole.E2ETests;

/// <summary>What an admin does in the browser, as small reusable steps.</summary>
public static class ConsolePages
{
    public const string AdminEmail = "admin@example.org";
    public const string AdminPassword = "Correct-Horse-9-Battery";

    /// <summary>Blazor Server pages become clickable only once the circuit is up.</summary>
    public static async Task WaitForCircuitAsync(this IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('.mud-layout') !== null");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>First run: the setup page creates the first administrator and signs them in.</summary>
    public static async Task CompleteSetupAsync(this IPage page, Uri baseAddress, string email = AdminEmail, string password = AdminPassword)
    {
        await page.GotoAsync(new Uri(baseAddress, "setup").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.FillAsync("#confirm", password);
        await page.ClickAsync("#create-admin");
        await page.WaitForCircuitAsync();
    }

    public static async Task SignInAsync(this IPage page, Uri baseAddress, string email, string password)
    {
        await page.GotoAsync(new Uri(baseAddress, "Account/Login").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
    }

    public static async Task SignOutAsync(this IPage page)
    {
        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/Account/Login**");
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}

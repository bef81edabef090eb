using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.IntegrationTests.NetBootImages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoreConsole.E2ETests;

/// <summary>
/// An administrator maps images in a browser against the console's own share holding the real NBImageInfo.plist fixtures:
/// browse, choose the default, add an override for a model from inventory, publish, and watch the coverage report change.
/// </summary>
public sealed class NetBootImagesTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ConsoleAppFactory _app = new();

    public ValueTask InitializeAsync()
    {
        TestShare.Build(Path.Combine(_app.DataDirectory, "share"));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static ILocator Option(IPage page, string text) =>
        page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = text }).First;

    [Fact]
    public async Task Browse_the_share_set_the_default_add_an_override_and_watch_the_coverage_report_change()
    {
        var page = await _app.OpenPageAsync(browser, 1400, 1000);
        var baseAddress = _app.BaseAddress;

        // Inventory: devices as agents would have reported them.
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            foreach (var (model, n) in new[] { ("MacBookPro10,1", 3), ("iMac7,1", 2), ("Macmini6,2", 4) })
                for (int i = 0; i < n; i++)
                    db.Devices.Add(new Device { Id = Guid.NewGuid(), HostName = $"{model}-{i}", Model = model, SerialNumber = Guid.NewGuid().ToString("N")[..12] });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await page.GotoAsync(baseAddress.ToString());
        await page.WaitForURLAsync("**/setup");
        await page.FillAsync("#email", ConsolePages.AdminEmail);
        await page.FillAsync("#password", ConsolePages.AdminPassword);
        await page.FillAsync("#confirm", ConsolePages.AdminPassword);
        await page.ClickAsync("#create-admin");
        await page.WaitForCircuitAsync();

        await page.GotoAsync(new Uri(baseAddress, "netboot-images").ToString());
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("NetBoot images");

        // Before any mapping every model has no bootable image.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Coverage" }).ClickAsync();
        await Expect(page.Locator("#coverage-summary")).ToContainTextAsync("3 model(s) with problems");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Mapping" }).ClickAsync();

        // The share URL is prefilled with our own share (127.0.0.1 here); Browse reads every fixture plist.
        await Expect(page.Locator("#share-url")).ToHaveValueAsync(new Uri(baseAddress, "vboot/NetBoot/").ToString());
        await page.ClickAsync("#browse");
        await Expect(page.Locator("#browse-summary")).ToContainTextAsync("Found 7 .nbi folder(s)");
        await Expect(page.Locator("#browse-problems")).ToContainTextAsync("DeployStudio-sysBuilder-10.12-template.nbi");
        await Expect(page.Locator("tr.image-row")).ToHaveCountAsync(5);

        // Default image.
        await page.Locator("#default-image").ClickAsync();
        await Option(page, "NetRestore-10.5.8 (Index 45)").ClickAsync();

        // An override for a model that DeployStudio's whitelist excludes is flagged at once…
        await page.Locator("#new-override-model").ClickAsync();
        await Option(page, "iMac7,1 (2 devices)").ClickAsync();
        await page.Locator("#new-override-image").ClickAsync();
        await Option(page, "DeployStudio-10.8 (Index 1082)").ClickAsync();
        await page.ClickAsync("#add-override");
        await Expect(page.Locator("tr.override-row[data-model='iMac7,1'] .override-warning")).ToContainTextAsync("not in the image's model whitelist");
        await page.ClickAsync("#save-mapping");
        await Expect(page.Locator("#save-error")).ToContainTextAsync("Nothing was saved");
        await page.ScreenshotAsync("50-netboot-images-refused-override");
        await page.Locator("tr.override-row[data-model='iMac7,1'] .remove-override").ClickAsync();

        // …one it accepts is saved and published.
        await page.Locator("#new-override-model").ClickAsync();
        await Option(page, "MacBookPro10,1 (3 devices)").ClickAsync();
        await page.Locator("#new-override-image").ClickAsync();
        await Option(page, "DeployStudio-10.8 (Index 1082)").ClickAsync();
        await page.ClickAsync("#add-override");
        await Expect(page.Locator("tr.override-row[data-model='MacBookPro10,1'] .override-warning")).ToHaveCountAsync(0);
        await page.ClickAsync("#save-mapping");
        await Expect(page.Locator("#published")).ToContainTextAsync("Published catalogue version 1");
        await page.ScreenshotAsync("51-netboot-images-mapping");

        // Coverage now: everything boots something; MacBookPro10,1 through its override.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Coverage" }).ClickAsync();
        await Expect(page.Locator("#coverage-summary")).ToContainTextAsync("0 model(s) with problems");
        await Expect(page.Locator("tr.coverage-row[data-model='MacBookPro10,1']")).ToContainTextAsync("DeployStudio-10.8 (override)");
        await Expect(page.Locator("tr.coverage-row[data-model='iMac7,1']")).ToContainTextAsync("NetRestore-10.5.8 (default)");
        await page.ScreenshotAsync("52-netboot-coverage");

        // The CSV export, downloaded with the session.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        csv.ShouldContain("\"MacBookPro10,1\",3,DeployStudio-10.8,override,yes");
    }
}

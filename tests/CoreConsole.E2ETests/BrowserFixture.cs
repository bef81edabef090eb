using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(CoreConsole.E2ETests.BrowserFixture))]
// One console at a time: the browser flows are timing-sensitive (elections, failover) and this machine has two cores.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]

namespace CoreConsole.E2ETests;

/// <summary>
/// One headless Chromium for the whole run: Debian's package (no browser download), found through COREC_CHROMIUM or
/// the usual paths. When none is installed the browser tests report skipped with the reason, never a false pass.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    public IBrowser? Browser { get; private set; }
    public string? SkipReason { get; private set; }

    /// <summary>Where screenshots go; .ci/run and README point here.</summary>
    public static string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable("COREC_SCREENSHOTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        var exe = FindChromium();
        if (exe is null)
        {
            SkipReason = "No Chromium found (install Debian's `chromium` or set COREC_CHROMIUM): browser tests skipped.";
            return;
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = exe,
            Headless = true,
            // This machine has no internet: stop Chromium from phoning home (its refused connections slow everything).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    private static string? FindChromium() =>
        new[] { Environment.GetEnvironmentVariable("COREC_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 860)
    {
        Assert.SkipWhen(Browser is null, SkipReason ?? "no browser");
        var context = await Browser!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

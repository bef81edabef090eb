using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace CoreConsole.E2ETests;

/// <summary>
/// The real console on a real socket (Kestrel on 127.0.0.1, free port) with the embedded SQLite default in a fresh
/// data directory, so the browser talks to exactly what `dotnet run` serves.
/// </summary>
public sealed class ConsoleAppFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "coreconsole-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public ConsoleAppFactory() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development"); // static web assets (MudBlazor css/js) come from the build output
        builder.UseSetting("CoreConsole:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>A page whose browser context is closed before this console stops, so no Blazor circuit outlives the host.</summary>
    public async Task<IPage> OpenPageAsync(BrowserFixture browser, int width = 1280, int height = 860)
    {
        var page = await browser.NewPageAsync(width, height);
        lock (_contexts) _contexts.Add(page.Context);
        return page;
    }

    public override async ValueTask DisposeAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts) contexts = [.. _contexts];
        foreach (var context in contexts) await context.CloseAsync();
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

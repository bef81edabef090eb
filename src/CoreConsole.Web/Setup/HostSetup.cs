using CoreConsole.Application.Common.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;

namespace CoreConsole.Web.Setup;

internal static class HostSetup
{
    /// <summary>Keys in the data directory so cookies survive restarts; forwarded headers for a reverse proxy in front.</summary>
    public static IServiceCollection AddCoreConsoleHosting(this IServiceCollection services, IConfiguration config, CoreConsolePaths paths)
    {
        services.AddDataProtection()
            .SetApplicationName("CoreConsole")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(paths.DataDirectory, "keys")));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in config.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.AddProblemDetails();
        return services;
    }

    /// <summary>The console's own assets (styles, logo, favicons) from wwwroot-assets/, copied next to the app at build.</summary>
    public static void UseCoreConsoleAssets(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (!Directory.Exists(root)) return;
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root), RequestPath = "/assets" });
    }

    /// <summary>Prints the address to open once Kestrel is listening (and the setup page on first run).</summary>
    public static void AnnounceUrls(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var a in addresses)
                Console.WriteLine($"CoreConsole is ready: open {a.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost")} in a browser");
        });
    }
}

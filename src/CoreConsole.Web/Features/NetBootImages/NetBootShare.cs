using Hangfire;
using CoreConsole.Application.Common.Persistence;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace CoreConsole.Web.Features.NetBootImages;

/// <summary>Where the NBI share lives on disk and under which URL path it is served (section <c>NetBoot</c>).</summary>
public sealed class NetBootShareOptions
{
    /// <summary>NetBoot:ShareRoot; relative paths are taken from the data directory. Default <c>share</c>.</summary>
    public string ShareRoot { get; set; } = "share";

    /// <summary>NetBoot:SharePath, the URL path prefix. Default <c>/vboot/NetBoot</c> (the LANDESK layout Macs and agents expect).</summary>
    public string SharePath { get; set; } = "/vboot/NetBoot";

    /// <summary>NetBoot:ShareListing: HTML directory listings, so the console (or a person) can browse for .nbi folders.</summary>
    public bool ShareListing { get; set; } = true;

    public string ResolveRoot(CoreConsolePaths paths) => Path.GetFullPath(Path.Combine(paths.DataDirectory, ShareRoot));
}

/// <summary>
/// NBIs are full of extension-less files (<c>booter</c>, <c>kernelcache</c>): serve anything the extension table does not
/// know as <c>application/octet-stream</c>, for this share only — the rest of the app keeps the safe 404 for unknown types.
/// </summary>
public sealed class OctetStreamFallbackContentTypeProvider(IContentTypeProvider inner) : IContentTypeProvider
{
    public const string OctetStream = "application/octet-stream";

    public OctetStreamFallbackContentTypeProvider() : this(new FileExtensionContentTypeProvider()) { }

    public bool TryGetContentType(string subpath, out string contentType)
    {
        if (inner.TryGetContentType(subpath, out var known))
        {
            contentType = known;
            return true;
        }

        contentType = OctetStream;
        return true;
    }
}

public static class NetBootShare
{
    /// <summary>The scheduled half of NBI health: every 30 minutes Hangfire enqueues a health-check work item.</summary>
    public static void ScheduleNbiHealth(this WebApplication app) =>
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<CoreConsole.Application.Features.NetBootImages.NbiHealthSchedule>(
            CoreConsole.Application.Features.NetBootImages.NbiHealthSchedule.RecurringJobId, s => s.EnqueueScheduledAsync(),
            CoreConsole.Application.Features.NetBootImages.NbiHealthSchedule.Cron);

    public static IServiceCollection AddNetBootShare(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<NetBootShareOptions>(config.GetSection("NetBoot"));
        return services;
    }

    /// <summary>
    /// Serves the share anonymously (Mac firmware and agents have no console login) with GET, HEAD and Range from the static
    /// file middleware. Paths are case-sensitive on Linux (the file system decides); dot-files and hidden files are excluded
    /// (<see cref="ExclusionFilters.Sensitive"/>); the physical provider refuses anything that resolves outside the root.
    /// The branch ends in a plain 404 so a missing booter never falls through to the Blazor not-found page.
    /// </summary>
    public static void UseNetBootShare(this WebApplication app)
    {
        var options = app.Configuration.GetSection("NetBoot").Get<NetBootShareOptions>() ?? new NetBootShareOptions();
        var root = options.ResolveRoot(app.Services.GetRequiredService<CoreConsolePaths>());
        Directory.CreateDirectory(root);
        var files = new PhysicalFileProvider(root, ExclusionFilters.Sensitive);
        var sharePath = "/" + options.SharePath.Trim('/');

        // Ordinal prefix match: Map() would also take /VBOOT/netboot, and the share is case-sensitive all the way down.
        app.MapWhen(c => c.Request.Path.StartsWithSegments(sharePath, StringComparison.Ordinal), share =>
        {
            share.UsePathBase(sharePath);
            share.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                ContentTypeProvider = new OctetStreamFallbackContentTypeProvider(),
                // Admins replace NBIs in place: let clients revalidate instead of caching a stale booter.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
            });
            if (options.ShareListing)
                share.UseDirectoryBrowser(new DirectoryBrowserOptions { FileProvider = files });
            share.Run(c =>
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }
}

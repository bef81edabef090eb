using System.Globalization;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.NetBoot.Nbi;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// Checks every image on the share the way a Mac will use it: HEAD each booter (<c>&lt;arch&gt;/&lt;BootFile&gt;</c>), each
/// kernel cache that exists (<c>&lt;arch&gt;/kernelcache</c>, or the <c>x86_64/kernelcache</c> an i386 booter loads), and
/// the root DMG; records status, content type and size; flags duplicate boot image ids (all 32 bits), booter paths of
/// 128 bytes or more, and root paths a Mac cannot reach (not an IPv4-literal http URL).
/// </summary>
public sealed class NbiHealthHandler(IDbContextFactory<AppDbContext> dbFactory, IHttpClientFactory httpFactory, TimeProvider clock) : IWorkItemHandler
{
    public const string WorkKind = "NbiHealth";
    public string Kind => WorkKind;

    public async Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var images = await db.NetBootImages.Where(i => !i.IsMissing).OrderBy(i => i.FolderName).ToListAsync(ct);
        using var http = httpFactory.CreateClient(NbiShareReader.HttpClientName);
        for (int n = 0; n < images.Count; n++)
        {
            progress.Report(string.Create(CultureInfo.InvariantCulture, $"Checked {n} of {images.Count} images; now {images[n].FolderName}"));
            var report = await CheckAsync(http, images[n], images, clock.GetUtcNow(), ct);
            images[n].HealthJson = report.ToJson();
            images[n].HealthCheckedAt = report.CheckedAt;
            images[n].Health = report.Healthy ? NbiHealthState.Healthy : NbiHealthState.Unhealthy;
        }

        await db.SaveChangesAsync(ct);
        var bad = images.Count(i => i.Health == NbiHealthState.Unhealthy);
        progress.Report(string.Create(CultureInfo.InvariantCulture, $"Checked {images.Count} images: {images.Count - bad} healthy, {bad} with problems"));
    }

    public static async Task<NbiHealthReport> CheckAsync(HttpClient http, NetBootImage image, IReadOnlyList<NetBootImage> all, DateTimeOffset now, CancellationToken ct)
    {
        var folder = new Uri(image.FolderUrl);
        var files = new List<NbiFileCheck>();
        var problems = new List<string>();
        var options = new NbiPublishOptions { HttpBase = image.ShareUrl.TrimEnd('/') };

        foreach (var arch in image.Architectures)
        {
            var rel = $"{arch}/{image.BootFile}";
            files.Add(await HeadAsync(http, $"booter ({arch})", folder, rel, required: true, ct));
            var bootPath = options.BootFilePath(image.FolderName, arch, image.BootFile);
            if (NbiPaths.ByteLength(bootPath) > NbiPaths.MaxBootFilePathBytes)
                problems.Add($"booter path {bootPath} is {NbiPaths.ByteLength(bootPath)} bytes; the BOOTP file field holds fewer than 128");
        }

        // Kernel caches are optional: note the ones present. A 64-bit system's i386 booter loads the x86_64 cache, which
        // System Image Utility puts in i386/x86_64/kernelcache (older layouts: <arch>/kernelcache or x86_64/kernelcache).
        var cachePaths = image.Architectures.SelectMany(a => new[] { $"{a}/kernelcache", $"{a}/x86_64/kernelcache" })
            .Append("x86_64/kernelcache").Distinct(StringComparer.Ordinal);
        foreach (var path in cachePaths)
        {
            var check = await HeadAsync(http, $"kernel cache ({path})", folder, path, required: false, ct);
            if (check.Ok || check.Status is not 404) files.Add(check);
        }

        if (image.RootPath is { } rootPath && image.Type != "BootFileOnly")
        {
            var rootUrl = options.RootPathUrl(image.FolderName, rootPath);
            if (rootUrl is not null && NbiPaths.ExplainUnusableRootUrl(rootUrl) is { } why)
                problems.Add($"root path {rootUrl} is not reachable by a Mac: {why}");
            if (NbiPaths.IsIndirect(rootPath))
            {
                if (rootPath.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                    files.Add(await HeadAsync(http, "root DMG", new Uri(rootPath), null, required: true, ct));
                else
                    files.Add(new NbiFileCheck("root DMG", rootPath, null, true, null, null, null, null));
            }
            else
            {
                files.Add(await HeadAsync(http, "root DMG", folder, rootPath, required: true, ct));
            }
        }

        foreach (var f in files.Where(f => f.Required && !f.Ok && f.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase)))
            problems.Add($"{f.Role} {f.Url}: {f.Error ?? $"HTTP {f.Status}"}");

        var twins = all.Where(o => o.Id != image.Id && !o.IsMissing && o.BootImageId == image.BootImageId).Select(o => o.FolderName).ToList();
        if (twins.Count > 0)
            problems.Add($"boot image id 0x{image.BootImageId:x8} (Index {image.Index}) is also used by {string.Join(", ", twins)}");
        if (!image.IsEnabled) problems.Add("the image is disabled (IsEnabled false in NBImageInfo.plist)");

        return new NbiHealthReport(now, files, problems);
    }

    private static async Task<NbiFileCheck> HeadAsync(HttpClient http, string role, Uri baseUrl, string? relative, bool required, CancellationToken ct)
    {
        var url = relative is null ? baseUrl : new Uri(baseUrl, NbiPaths.EscapePath(relative));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return new NbiFileCheck(role, url.ToString(), relative, required, status,
                response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentLength,
                response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new NbiFileCheck(role, url.ToString(), relative, required, null, null, null, $"no answer: {e.Message}");
        }
    }
}

/// <summary>Check the images now (the page's button); the same job also runs every 30 minutes.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record StartNbiHealthCheckCommand : ICommand<Result<Guid>>, IAuditedCommand;

public sealed class StartNbiHealthCheckHandler(WorkQueue queue) : ICommandHandler<StartNbiHealthCheckCommand, Result<Guid>>
{
    public async ValueTask<Result<Guid>> Handle(StartNbiHealthCheckCommand c, CancellationToken ct)
    {
        var id = await NbiHealthSchedule.EnqueueAsync(queue, ct);
        AuditTrail.Record("NbiHealthCheck", id, null, null, "NBI health check started");
        return id;
    }
}

/// <summary>The recurring entry point (Hangfire calls it); it only enqueues a work item, the row is the truth.</summary>
public sealed class NbiHealthSchedule(WorkQueue queue)
{
    public const string RecurringJobId = "nbi-health";
    public const string Cron = "*/30 * * * *";

    public Task EnqueueScheduledAsync() => EnqueueAsync(queue, CancellationToken.None);

    internal static Task<Guid> EnqueueAsync(WorkQueue queue, CancellationToken ct) =>
        queue.EnqueueAsync(NbiHealthHandler.WorkKind, null, maxAttempts: 1, ct: ct);
}

/// <summary>The latest health-check work item, for the page's progress line.</summary>
public sealed record GetNbiHealthJobQuery : IQuery<NbiHealthJobView?>;

public sealed record NbiHealthJobView(Guid Id, WorkItemState State, string? Progress, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

public sealed class GetNbiHealthJobHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetNbiHealthJobQuery, NbiHealthJobView?>
{
    public async ValueTask<NbiHealthJobView?> Handle(GetNbiHealthJobQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WorkItems.AsNoTracking().Where(w => w.Kind == NbiHealthHandler.WorkKind)
            .OrderByDescending(w => w.CreatedAt)
            .Select(w => new NbiHealthJobView(w.Id, w.State, w.Progress, w.LastError, w.CreatedAt, w.FinishedAt))
            .FirstOrDefaultAsync(ct);
    }
}

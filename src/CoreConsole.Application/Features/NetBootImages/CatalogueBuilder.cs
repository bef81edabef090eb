using CoreConsole.Contracts.Agents;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>The catalogue document and, per image that could not go in, why.</summary>
public sealed record CatalogueBuild(CatalogueDocument Document, IReadOnlyDictionary<Guid, string> Problems);

/// <summary>
/// Turns the mapping and its images into the catalogue representatives serve: the same booter paths and root path URLs
/// CoreConsole.NetBoot's own catalogue builder forms (so what the console publishes is what the responder offers), plus
/// the files a representative copies from the share into its TFTP root.
/// </summary>
public static class CatalogueBuilder
{
    /// <summary>Only images the mapping names go into the catalogue: the mapping decides what Macs see.</summary>
    public static CatalogueBuild Build(int number, string shareUrl, NetBootImage? defaultImage, IReadOnlyList<(string Model, NetBootImage Image)> overrides)
    {
        var options = new NbiPublishOptions { HttpBase = shareUrl.TrimEnd('/') };
        var chosen = new List<NetBootImage>();
        if (defaultImage is not null) chosen.Add(defaultImage);
        foreach (var (_, image) in overrides)
            if (!chosen.Any(c => c.Id == image.Id)) chosen.Add(image);

        var images = new List<CatalogueImage>();
        var problems = new Dictionary<Guid, string>();
        foreach (var row in chosen)
        {
            var info = NbiImageRows.Info(row);
            var boot = info is null ? null : NbiCatalogBuilder.ToBootImage(row.FolderName, info, options);
            if (info is null || boot is null)
            {
                var rootUrl = info?.RootPath is { } rp ? options.RootPathUrl(row.FolderName, rp) : null;
                problems[row.Id] = info is null
                    ? $"\"{row.Name}\": its stored NBImageInfo.plist can no longer be read; browse the share again"
                    : $"\"{row.Name}\": the root path {rootUrl} cannot be given to a Mac: {(rootUrl is null ? "no share URL" : NbiPaths.ExplainUnusableRootUrl(rootUrl) ?? "unusable")}";
                continue;
            }

            foreach (var (arch, path) in boot.BootFilePaths)
                if (NbiPaths.ByteLength(path) > NbiPaths.MaxBootFilePathBytes)
                    problems[row.Id] = $"\"{row.Name}\": boot file path {path} for {arch} is {NbiPaths.ByteLength(path)} bytes; the BOOTP file field holds at most {NbiPaths.MaxBootFilePathBytes}";

            images.Add(new CatalogueImage
            {
                Index = boot.Index, Name = boot.Name, IsInstall = boot.IsInstall, Kind = boot.Kind, Type = boot.Type.ToString(),
                Architectures = [.. boot.Architectures], EnabledSystemIdentifiers = [.. boot.EnabledSystemIdentifiers],
                EnabledMacAddresses = [.. boot.EnabledMacAddresses.Select(m => m.ToString())],
                DisabledMacAddresses = [.. boot.DisabledMacAddresses.Select(m => m.ToString())],
                FilterOnly = boot.FilterOnly, IsDefault = defaultImage?.Id == row.Id,
                BootFilePaths = boot.BootFilePaths, RootPath = boot.RootPath, Files = FilesToSync(row, boot.BootFilePaths),
            });
        }

        var document = new CatalogueDocument
        {
            Version = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Subnet = "",
            Images = images,
            DefaultIndex = defaultImage?.Index,
            ModelOverrides = overrides.ToDictionary(o => o.Model, o => o.Image.Index, StringComparer.Ordinal),
        };
        return new CatalogueBuild(document, problems);
    }

    /// <summary>Booters and the kernel caches the last health check found; the DMG stays on the share (served over HTTP).</summary>
    private static List<CatalogueFile> FilesToSync(NetBootImage row, IReadOnlyDictionary<string, string> bootFilePaths)
    {
        var health = NbiHealthReport.FromJson(row.HealthJson);
        var files = new List<CatalogueFile>();
        foreach (var (arch, localPath) in bootFilePaths.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var rel = $"{arch}/{row.BootFile}";
            var check = health?.Files.FirstOrDefault(f => f.RelativePath == rel);
            files.Add(new CatalogueFile(new Uri(new Uri(row.FolderUrl), NbiPaths.EscapePath(rel)).ToString(), localPath, check is { Ok: true } ? check.Size : null));
        }

        foreach (var kc in health?.Files.Where(f => f.Ok && f.Role.StartsWith("kernel cache", StringComparison.Ordinal)) ?? [])
            files.Add(new CatalogueFile(kc.Url, $"{row.FolderName}/{kc.RelativePath}", kc.Size));
        return files;
    }
}

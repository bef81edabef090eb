using System.Collections.Immutable;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>A reason an image was left out of the catalogue; <see cref="FolderName"/> is null for configuration problems.</summary>
public sealed record NbiBuildProblem(string? FolderName, NbiError Error)
{
    public override string ToString() => FolderName is null ? Error.ToString() : $"{FolderName}: {Error}";
}

/// <summary>The catalogue to hand to the responder, and everything that was left out and why.</summary>
public sealed record NbiCatalogResult(BootCatalog Catalog, ImmutableArray<NbiBuildProblem> Problems);

/// <summary>
/// Turns scanned NBIs into the responder's <see cref="BootCatalog"/>: booter TFTP paths per architecture and HTTP
/// root paths (BSDP.md §8). Invalid and disabled images are left out; scan order is kept (it is Apple's list order).
/// </summary>
public static class NbiCatalogBuilder
{
    public static NbiCatalogResult Build(IEnumerable<NbiScanResult> scanned, NbiPublishOptions options, ModelMapping? mapping = null)
    {
        var problems = ImmutableArray.CreateBuilder<NbiBuildProblem>();
        string? baseProblem = options.ExplainUnusableHttpBase();
        if (baseProblem is not null)
        {
            problems.Add(new NbiBuildProblem(null, new NbiError(NbiErrorKind.RootPathUnusable, baseProblem)));
        }

        var images = ImmutableArray.CreateBuilder<BootImage>();
        var ids = new HashSet<uint>();
        foreach (var nbi in scanned)
        {
            if (!nbi.IsValid || nbi.Image is not { } info)
            {
                problems.AddRange(nbi.Errors.Select(e => new NbiBuildProblem(nbi.FolderName, e)));
                continue;
            }

            if (!info.IsEnabled) continue;
            if (!ids.Add(info.BootImageId))
            {
                problems.Add(new NbiBuildProblem(nbi.FolderName, new NbiError(NbiErrorKind.DuplicateBootImageId,
                    $"boot image id 0x{info.BootImageId:x8} (Index {info.Index}) is already in the catalogue", "Index")));
                continue;
            }

            if (ToBootImage(nbi.FolderName, info, options, baseProblem is null) is { } image) images.Add(image);
            else problems.Add(new NbiBuildProblem(nbi.FolderName, RootPathError(nbi.FolderName, info, options, baseProblem)));
        }

        if (mapping is not null) CheckMapping(mapping, images, problems);
        return new NbiCatalogResult(new BootCatalog(images.ToImmutable(), mapping), problems.ToImmutable());
    }

    /// <summary>
    /// The responder's view of one image, or null when its root path cannot be formed (no usable HttpBase, or an
    /// over-long URL). NFS images with a local DMG are served over HTTP, so they are advertised as HTTP.
    /// </summary>
    public static BootImage? ToBootImage(string folderName, NbiImageInfo info, NbiPublishOptions options, bool httpBaseUsable = true)
    {
        string? rootPath = null;
        var type = info.Type;
        if (info.Type is BootImageType.NFS or BootImageType.HTTP or BootImageType.Classic && info.RootPath is { } root)
        {
            if (!info.HasIndirectRootPath && !httpBaseUsable) return null;
            rootPath = options.RootPathUrl(folderName, root);
            if (rootPath is null || NbiPaths.ExplainUnusableRootUrl(rootPath) is not null) return null;
            if (rootPath.StartsWith("http", StringComparison.OrdinalIgnoreCase)) type = BootImageType.HTTP;
        }

        var bootFiles = info.Architectures.ToImmutableDictionary(a => a, a => options.BootFilePath(folderName, a, info.BootFile), StringComparer.Ordinal);
        return new BootImage(info.Index, info.Name, info.IsInstall, info.Kind, type, info.Architectures,
            info.EnabledSystemIdentifiers, info.EnabledMacAddresses, info.DisabledMacAddresses,
            info.FilterOnly, info.IsDefault, bootFiles, rootPath);
    }

    private static NbiError RootPathError(string folderName, NbiImageInfo info, NbiPublishOptions options, string? baseProblem)
    {
        if (baseProblem is not null) return new NbiError(NbiErrorKind.RootPathUnusable, $"cannot form the root path: {baseProblem}", "RootPath");
        if (options.HttpBase is null)
        {
            return new NbiError(NbiErrorKind.RootPathUnusable, $"RootPath {info.RootPath} is local but no HttpBase is configured to serve it", "RootPath");
        }

        string url = options.RootPathUrl(folderName, info.RootPath ?? "") ?? "";
        return new NbiError(NbiErrorKind.RootPathTooLong, $"root path is unusable: {NbiPaths.ExplainUnusableRootUrl(url) ?? "too long"}", "RootPath");
    }

    private static void CheckMapping(ModelMapping mapping, ImmutableArray<BootImage>.Builder images, ImmutableArray<NbiBuildProblem>.Builder problems)
    {
        var indexes = images.Select(i => i.Index).ToHashSet();
        if (mapping.DefaultIndex is { } d && !indexes.Contains(d))
        {
            problems.Add(new NbiBuildProblem(null, new NbiError(NbiErrorKind.BadValue, $"model mapping default Index {d} matches no enabled image", "default")));
        }

        foreach (var (model, index) in mapping.Models.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!indexes.Contains(index))
            {
                problems.Add(new NbiBuildProblem(null, new NbiError(NbiErrorKind.BadValue, $"model mapping for {model} names Index {index}, which matches no enabled image", "models")));
            }
        }
    }
}

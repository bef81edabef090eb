using System.Collections.Immutable;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Agent.NetBoot;

/// <summary>
/// The catalogue of an NBI directory for <c>bsdp serve</c>: every valid, enabled .nbi becomes an image; everything left out
/// is kept with its precise reason so the operator sees why a folder is not offered.
/// </summary>
public sealed record NbiRootCatalog(
    string Root,
    BootCatalog Catalog,
    ImmutableArray<NbiScanResult> Scanned,
    ImmutableArray<NbiBuildProblem> Problems)
{
    public static NbiRootCatalog Load(string root, NbiPublishOptions publish, ModelMapping? mapping)
    {
        var scanned = NbiScanner.Scan(root, publish);
        var built = NbiCatalogBuilder.Build(scanned, publish, mapping);
        return new NbiRootCatalog(root, built.Catalog, scanned, built.Problems);
    }

    /// <summary>Human-readable lines: one per served image, one per problem, one per disabled image.</summary>
    public IEnumerable<string> Report()
    {
        yield return $"NBI root {Root}: {Scanned.Length} .nbi folder(s), {Catalog.Images.Length} image(s) served";
        var folderById = Scanned.Where(s => s.Image is not null).GroupBy(s => s.Image!.BootImageId).ToDictionary(g => g.Key, g => g.First().FolderName);
        foreach (var image in Catalog.Images)
        {
            var folder = folderById.GetValueOrDefault(image.BootImageId, "?");
            var boot = string.Join(", ", image.BootFilePaths.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));
            yield return $"serving {folder}: Index {image.Index} id {new BsdpBootImageId(image.BootImageId)} \"{image.Name}\" boot file {boot} root path {image.RootPath ?? "(none)"}";
        }
        foreach (var disabled in Scanned.Where(s => s.IsValid && !s.Image!.IsEnabled))
            yield return $"not serving {disabled.FolderName}: IsEnabled is false";
        foreach (var problem in Problems)
            yield return problem.FolderName is null ? $"problem: {problem.Error}" : $"invalid NBI {problem.FolderName}: {problem.Error}";
        if (Catalog.Mapping is { } mapping)
            yield return $"model map: default {mapping.DefaultIndex?.ToString() ?? "(the NBIs' IsDefault)"}, {mapping.Models.Count} model override(s)";
    }
}

namespace CoreConsole.Contracts.Agents;

/// <summary>
/// GET {catalogue.url}: what a representative serves on its subnet. Mirrors CoreConsole.NetBoot's BootCatalog, plus the
/// files to sync from the share into the local cache.
/// </summary>
public sealed record CatalogueDocument
{
    public required string Version { get; init; }
    public required string Subnet { get; init; }
    public IReadOnlyList<CatalogueImage> Images { get; init; } = [];
    /// <summary>NBI index of the default image; null = the images' own IsDefault flags decide.</summary>
    public int? DefaultIndex { get; init; }
    /// <summary>Model identifier → NBI index.</summary>
    public IReadOnlyDictionary<string, int> ModelOverrides { get; init; } = new Dictionary<string, int>();
}

/// <summary>One NBI as offered by a representative (fields as in NBImageInfo.plist).</summary>
public sealed record CatalogueImage
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public bool IsInstall { get; init; }
    public int Kind { get; init; } = 1;
    /// <summary>NFS, HTTP, BootFileOnly or Classic.</summary>
    public string Type { get; init; } = "HTTP";
    public IReadOnlyList<string> Architectures { get; init; } = [];
    public IReadOnlyList<string> EnabledSystemIdentifiers { get; init; } = [];
    public IReadOnlyList<string> EnabledMacAddresses { get; init; } = [];
    public IReadOnlyList<string> DisabledMacAddresses { get; init; } = [];
    public bool FilterOnly { get; init; }
    public bool IsDefault { get; init; }
    /// <summary>Architecture → TFTP path of the booter relative to the TFTP root.</summary>
    public IReadOnlyDictionary<string, string> BootFilePaths { get; init; } = new Dictionary<string, string>();
    public string? RootPath { get; init; }
    /// <summary>Files the representative must cache locally (booter, kernel cache, …).</summary>
    public IReadOnlyList<CatalogueFile> Files { get; init; } = [];
}

/// <summary>
/// A file to sync: where to GET it and where it goes under the local TFTP root. <see cref="Size"/> is null while the
/// console has not measured the file yet (no NBI health check since the image was browsed).
/// </summary>
public sealed record CatalogueFile(string Url, string LocalPath, long? Size, string? Sha256 = null);

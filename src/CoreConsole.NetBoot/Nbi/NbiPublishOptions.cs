namespace CoreConsole.NetBoot.Nbi;

/// <summary>How the images of an NBI share are published to Macs: where TFTP finds booters, where HTTP serves DMGs.</summary>
public sealed record NbiPublishOptions
{
    /// <summary>
    /// Prefix of the booter path relative to the TFTP root, e.g. <c>NetBoot/NetBootSP0</c>; empty when the .nbi folders
    /// sit at the TFTP root. A leading <c>/</c> is kept (some TFTP setups need absolute paths, BSDP.md §8).
    /// </summary>
    public string TftpPrefix { get; init; } = "";

    /// <summary>
    /// Base URL under which the .nbi folders are served over HTTP, e.g. <c>http://10.0.0.5/vboot/NetBoot</c>. Must use
    /// an IPv4 literal: the firmware does no DNS (field case 20). Null when no image needs it.
    /// </summary>
    public string? HttpBase { get; init; }

    /// <summary>The booter's TFTP path for one architecture: <c>[prefix/]&lt;nbi folder&gt;/&lt;arch&gt;/&lt;BootFile&gt;</c>.</summary>
    public string BootFilePath(string nbiFolder, string arch, string bootFile)
    {
        string prefix = TftpPrefix.TrimEnd('/');
        string path = $"{nbiFolder}/{arch}/{bootFile}";
        return prefix.Length == 0 ? path : $"{prefix}/{path}";
    }

    /// <summary>
    /// The option-17 root path for an image whose DMG is served over HTTP: indirect URLs pass through, otherwise
    /// <c>HttpBase/&lt;nbi folder escaped&gt;/&lt;RootPath escaped&gt;</c>. Null when no HttpBase is configured.
    /// </summary>
    public string? RootPathUrl(string nbiFolder, string rootPath)
    {
        if (NbiPaths.IsIndirect(rootPath)) return rootPath;
        if (HttpBase is null) return null;
        return $"{HttpBase.TrimEnd('/')}/{Uri.EscapeDataString(nbiFolder)}/{NbiPaths.EscapePath(rootPath)}";
    }

    /// <summary>Why <see cref="HttpBase"/> cannot be given to firmware, or null if it is fine (or absent).</summary>
    public string? ExplainUnusableHttpBase()
    {
        if (HttpBase is null) return null;
        if (!HttpBase.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return $"HttpBase \"{HttpBase}\" must be an http:// URL";
        }

        return NbiPaths.ExplainUnusableRootUrl(HttpBase) is { } why ? $"HttpBase: {why}" : null;
    }
}

using System.Collections.Immutable;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>
/// One .nbi folder after scanning. <see cref="Image"/> is the parsed plist whenever its keys were valid (so the console
/// can show it); <see cref="IsValid"/> is true only when no error at all was found and the image may be offered.
/// </summary>
public sealed record NbiScanResult(string FolderName, string FolderPath, NbiImageInfo? Image, ImmutableArray<NbiError> Errors)
{
    public bool IsValid => Image is not null && Errors.IsEmpty;
}

/// <summary>
/// Finds <c>*.nbi</c> folders directly under a root directory and validates each one against the files around it:
/// plist location, booter per architecture, local DMG, path lengths, and boot image id uniqueness across folders.
/// </summary>
public static class NbiScanner
{
    public const string PlistName = "NBImageInfo.plist";

    /// <summary>
    /// Scans <paramref name="rootDir"/> in ordinal folder-name order (Apple uses readdir order, which is not stable;
    /// a fixed order makes "first one wins" for duplicate ids reproducible).
    /// </summary>
    public static ImmutableArray<NbiScanResult> Scan(string rootDir, NbiPublishOptions? options = null)
    {
        options ??= new NbiPublishOptions();
        var folders = Directory.EnumerateDirectories(rootDir)
            .Where(d => Path.GetFileName(d).EndsWith(".nbi", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

        var results = folders.Select(f => ScanFolder(f, options)).ToList();
        MarkDuplicateIds(results);
        return [.. results];
    }

    /// <summary>Validates a single .nbi folder (no cross-folder checks).</summary>
    public static NbiScanResult ScanFolder(string folderPath, NbiPublishOptions? options = null)
    {
        options ??= new NbiPublishOptions();
        string folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(folderPath));
        string plistPath = Path.Combine(folderPath, PlistName);
        if (!File.Exists(plistPath))
        {
            return Invalid(folderName, folderPath, MissingPlistError(folderPath));
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(plistPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid(folderName, folderPath, new NbiError(NbiErrorKind.PlistUnreadable, $"cannot read {PlistName}: {e.Message}"));
        }

        var parsed = NbiImageInfoParser.Parse(bytes);
        if (parsed.Info is not { } info)
        {
            return new NbiScanResult(folderName, folderPath, null, parsed.Errors);
        }

        var errors = CheckFiles(folderName, folderPath, info, options);
        return new NbiScanResult(folderName, folderPath, info, errors);
    }

    private static NbiScanResult Invalid(string name, string path, NbiError error) => new(name, path, null, [error]);

    private static NbiError MissingPlistError(string folderPath)
    {
        // A plist one level down (e.g. copied with its parent folder) is a common packaging mistake; say where it is.
        var nested = SafeFind(folderPath);
        return nested is null
            ? new NbiError(NbiErrorKind.PlistMissing, $"no {PlistName} in the .nbi folder")
            : new NbiError(NbiErrorKind.PlistNotAtRoot, $"{PlistName} must be at the root of the .nbi folder, found at {Path.GetRelativePath(folderPath, nested)}");
    }

    private static string? SafeFind(string folderPath)
    {
        try
        {
            var opts = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
            return Directory.EnumerateFiles(folderPath, PlistName, opts).Order(StringComparer.Ordinal).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static ImmutableArray<NbiError> CheckFiles(string folderName, string folderPath, NbiImageInfo info, NbiPublishOptions options)
    {
        var errors = ImmutableArray.CreateBuilder<NbiError>();
        foreach (var arch in info.Architectures)
        {
            if (!File.Exists(Path.Combine(folderPath, arch, info.BootFile)))
            {
                errors.Add(new NbiError(NbiErrorKind.BootFileMissing, $"boot file {arch}/{info.BootFile} does not exist in {folderName}", "BootFile"));
            }

            string tftpPath = options.BootFilePath(folderName, arch, info.BootFile);
            int length = NbiPaths.ByteLength(tftpPath);
            if (length > NbiPaths.MaxBootFilePathBytes)
            {
                errors.Add(new NbiError(NbiErrorKind.BootFilePathTooLong,
                    $"TFTP path \"{tftpPath}\" is {length} bytes; the BOOTP file field holds at most {NbiPaths.MaxBootFilePathBytes}", "BootFile"));
            }
        }

        if (info.RootPath is { } root && !info.HasIndirectRootPath)
        {
            if (!File.Exists(Path.Combine(folderPath, root)) && !Directory.Exists(Path.Combine(folderPath, root)))
            {
                errors.Add(new NbiError(NbiErrorKind.RootPathFileMissing, $"RootPath {root} does not exist in {folderName}", "RootPath"));
            }

            if (options.RootPathUrl(folderName, root) is { } url && NbiPaths.ByteLength(url) > NbiPaths.MaxRootPathBytes)
            {
                errors.Add(new NbiError(NbiErrorKind.RootPathTooLong,
                    $"root path \"{url}\" is {NbiPaths.ByteLength(url)} bytes; option 17 holds at most {NbiPaths.MaxRootPathBytes}", "RootPath"));
            }
        }

        return errors.ToImmutable();
    }

    /// <summary>A later image whose full 32-bit id equals an earlier one is dropped, as Apple's loader does.</summary>
    private static void MarkDuplicateIds(List<NbiScanResult> results)
    {
        var firstById = new Dictionary<uint, string>();
        for (int i = 0; i < results.Count; i++)
        {
            if (!results[i].IsValid || results[i].Image is not { } image) continue;
            if (firstById.TryGetValue(image.BootImageId, out var first))
            {
                var error = new NbiError(NbiErrorKind.DuplicateBootImageId,
                    $"boot image id 0x{image.BootImageId:x8} (Index {image.Index}) is already used by {first}", "Index");
                results[i] = results[i] with { Errors = results[i].Errors.Add(error) };
            }
            else
            {
                firstById[image.BootImageId] = results[i].FolderName;
            }
        }
    }
}

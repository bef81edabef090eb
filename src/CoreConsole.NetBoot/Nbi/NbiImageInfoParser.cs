using System.Collections.Immutable;
using System.Net.NetworkInformation;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Plist;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>Result of reading one NBImageInfo.plist: an image, or every problem found (never both).</summary>
public sealed record NbiParseResult(NbiImageInfo? Info, ImmutableArray<NbiError> Errors)
{
    public bool IsValid => Info is not null;
}

/// <summary>
/// Turns NBImageInfo.plist bytes (XML or binary, sniffed) into <see cref="NbiImageInfo"/>, collecting all key
/// problems at once so an administrator can fix a plist in one pass.
/// </summary>
public static class NbiImageInfoParser
{
    public static NbiParseResult Parse(ReadOnlySpan<byte> plistBytes)
    {
        PlistValue root;
        try
        {
            root = PlistReader.Read(plistBytes);
        }
        catch (PlistException e)
        {
            return Failed(new NbiError(NbiErrorKind.PlistUnreadable, e.Message));
        }

        return Parse(root);
    }

    public static NbiParseResult Parse(PlistValue root)
    {
        if (root is not PlistDictionary dict)
        {
            return Failed(new NbiError(NbiErrorKind.WrongType, $"top-level value is {KeyReader.Article(root.TypeName)}, expected a dict"));
        }

        var keys = new KeyReader(dict);
        long? index = keys.Integer("Index", required: true);
        string? name = keys.String("Name", required: true);
        string? typeText = keys.String("Type", required: true);
        long? kind = keys.Integer("Kind", required: false);
        string? bootFile = keys.String("BootFile", required: true);
        string? rootPath = keys.String("RootPath", required: false);
        var archs = keys.StringArray("Architectures");

        if (index is { } i && i is < 1 or > 65535)
        {
            keys.Add(NbiErrorKind.IndexOutOfRange, "Index", $"Index {i} is outside 1-65535");
        }

        if (name is { Length: 0 } || (name is not null && string.IsNullOrWhiteSpace(name)))
        {
            keys.Add(NbiErrorKind.BadValue, "Name", "Name is empty");
        }

        BootImageType? type = typeText switch
        {
            null => null,
            "NFS" => BootImageType.NFS,
            "HTTP" => BootImageType.HTTP,
            "BootFileOnly" => BootImageType.BootFileOnly,
            "Classic" => BootImageType.Classic,
            _ => keys.Add<BootImageType?>(NbiErrorKind.BadValue, "Type", $"Type \"{typeText}\" is not NFS, HTTP, BootFileOnly or Classic"),
        };

        // Apple's defaults when Kind is absent: Classic is Mac OS 9 (0), NFS/HTTP are Mac OS X (1); BootFileOnly must say.
        if (kind is null && type == BootImageType.BootFileOnly)
        {
            keys.Add(NbiErrorKind.MissingKey, "Kind", "Kind is required for BootFileOnly images");
        }
        else if (kind is { } k && k is < 0 or > 127)
        {
            keys.Add(NbiErrorKind.BadValue, "Kind", $"Kind {k} is outside 0-127");
        }

        if (bootFile is not null && (!NbiPaths.IsSafeRelativePath(bootFile) || bootFile.Contains('/')))
        {
            keys.Add(NbiErrorKind.BadValue, "BootFile", $"BootFile \"{bootFile}\" must be a plain file name");
        }

        if (archs is { IsEmpty: true })
        {
            keys.Add(NbiErrorKind.BadValue, "Architectures", "Architectures is empty, so no Mac could boot it");
        }

        foreach (var a in archs ?? [])
        {
            if (!NbiPaths.IsSafeRelativePath(a) || a.Contains('/'))
            {
                keys.Add(NbiErrorKind.BadValue, "Architectures", $"architecture \"{a}\" is not a plain folder name");
            }
        }

        CheckRootPath(keys, type, rootPath);

        bool diagnostics = kind == 3;
        var info = keys.HasErrors ? null : new NbiImageInfo
        {
            Index = (ushort)index!.Value,
            Name = name!,
            Type = type!.Value,
            Kind = (byte)(kind ?? (type == BootImageType.Classic ? 0 : 1)),
            BootFile = bootFile!,
            RootPath = type == BootImageType.BootFileOnly ? null : rootPath,
            Architectures = archs ?? ["ppc"],
            IsInstall = keys.Boolean("IsInstall") ?? false,
            IsDefault = keys.Boolean("IsDefault") ?? false,
            IsEnabled = keys.Boolean("IsEnabled") ?? true,
            SupportsDiskless = keys.Boolean("SupportsDiskless") ?? false,
            FilterOnly = keys.Boolean("FilterOnly") ?? diagnostics,
            EnabledSystemIdentifiers = keys.StringArray("EnabledSystemIdentifiers") ?? [],
            DisabledSystemIdentifiers = keys.StringArray("DisabledSystemIdentifiers") ?? [],
            EnabledMacAddresses = keys.MacArray("EnabledMACAddresses"),
            DisabledMacAddresses = keys.MacArray("DisabledMACAddresses"),
            Description = keys.String("Description", required: false),
            Language = keys.String("Language", required: false),
            OsVersion = keys.String("osVersion", required: false),
        };

        // The optional keys above may themselves have added errors (wrong types); read them all before deciding.
        if (info is null)
        {
            ReadOptionalKeys(keys);
        }

        return keys.HasErrors ? new NbiParseResult(null, keys.Errors) : new NbiParseResult(info, []);
    }

    private static void ReadOptionalKeys(KeyReader keys)
    {
        foreach (var b in new[] { "IsInstall", "IsDefault", "IsEnabled", "SupportsDiskless", "FilterOnly" }) keys.Boolean(b);
        keys.StringArray("EnabledSystemIdentifiers");
        keys.StringArray("DisabledSystemIdentifiers");
        keys.MacArray("EnabledMACAddresses");
        keys.MacArray("DisabledMACAddresses");
        foreach (var s in new[] { "Description", "Language", "osVersion" }) keys.String(s, required: false);
    }

    private static void CheckRootPath(KeyReader keys, BootImageType? type, string? rootPath)
    {
        if (type is BootImageType.BootFileOnly) return;
        if (rootPath is null)
        {
            if (type is BootImageType.NFS or BootImageType.HTTP)
            {
                keys.Add(NbiErrorKind.MissingKey, "RootPath", $"RootPath is required for {type} images");
            }

            return;
        }

        if (NbiPaths.IsIndirect(rootPath))
        {
            if (NbiPaths.ExplainUnusableRootUrl(rootPath) is { } why)
            {
                keys.Add(NbiPaths.ByteLength(rootPath) > NbiPaths.MaxRootPathBytes ? NbiErrorKind.RootPathTooLong : NbiErrorKind.RootPathUnusable, "RootPath", why);
            }
        }
        else if (!NbiPaths.IsSafeRelativePath(rootPath))
        {
            keys.Add(NbiErrorKind.BadValue, "RootPath", $"RootPath \"{rootPath}\" must be a path inside the .nbi folder or a full http/nfs URL");
        }
    }

    private static NbiParseResult Failed(NbiError e) => new(null, [e]);
}

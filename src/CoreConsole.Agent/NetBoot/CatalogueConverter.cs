using System.Collections.Immutable;
using System.Net.NetworkInformation;
using CoreConsole.Contracts.Agents;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Agent.NetBoot;

/// <summary>
/// Turns the core's <see cref="CatalogueDocument"/> into the responder's <see cref="BootCatalog"/>. An image the responder
/// could not describe correctly (bad index, kind, type, MAC, path) is left out with a reason; the rest are served.
/// </summary>
public static class CatalogueConverter
{
    public static BootCatalog ToBootCatalog(CatalogueDocument document, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var images = ImmutableArray.CreateBuilder<BootImage>();
        foreach (var image in document.Images)
        {
            if (ToBootImage(image, out var why) is { } converted) images.Add(converted);
            else found.Add($"image Index {image.Index} \"{image.Name}\" left out: {why}");
        }

        ModelMapping? mapping = null;
        if (document.DefaultIndex is not null || document.ModelOverrides.Count > 0)
        {
            ushort? defaultIndex = null;
            if (document.DefaultIndex is { } d)
            {
                if (d is >= 1 and <= ushort.MaxValue) defaultIndex = (ushort)d;
                else found.Add($"default Index {d} is outside 1-65535; the images' IsDefault flags decide");
            }
            var models = new List<KeyValuePair<string, ushort>>();
            foreach (var (model, index) in document.ModelOverrides)
            {
                if (index is >= 1 and <= ushort.MaxValue) models.Add(KeyValuePair.Create(model, (ushort)index));
                else found.Add($"model {model}: Index {index} is outside 1-65535; ignored");
            }
            mapping = ModelMapping.Create(defaultIndex, models);
        }

        problems = found;
        return new BootCatalog(images.ToImmutable(), mapping);
    }

    private static BootImage? ToBootImage(CatalogueImage image, out string why)
    {
        why = "";
        if (image.Index is < 1 or > ushort.MaxValue) { why = $"Index {image.Index} is outside 1-65535"; return null; }
        if (image.Kind is < 0 or > 127) { why = $"Kind {image.Kind} is outside 0-127"; return null; }
        if (!Enum.TryParse<BootImageType>(image.Type, ignoreCase: true, out var type) || !Enum.IsDefined(type))
        {
            why = $"Type \"{image.Type}\" is not NFS, HTTP, BootFileOnly or Classic";
            return null;
        }
        if (!TryParseMacs(image.EnabledMacAddresses, out var enabled, out why) || !TryParseMacs(image.DisabledMacAddresses, out var disabled, out why)) return null;
        foreach (var (arch, path) in image.BootFilePaths)
        {
            if (!NbiPaths.IsSafeRelativePath(path.TrimStart('/'))) { why = $"boot file path \"{path}\" for {arch} is not a plain relative path"; return null; }
            if (NbiPaths.ByteLength(path) > NbiPaths.MaxBootFilePathBytes) { why = $"boot file path \"{path}\" is longer than {NbiPaths.MaxBootFilePathBytes} bytes"; return null; }
        }
        if (image.RootPath is { } root && NbiPaths.ExplainUnusableRootUrl(root) is { } rootProblem) { why = rootProblem; return null; }

        // Apple's default when an NBI names no architecture is ppc only.
        ImmutableArray<string> architectures = image.Architectures.Count == 0 ? ["ppc"] : [.. image.Architectures];
        return new BootImage((ushort)image.Index, image.Name, image.IsInstall, (byte)image.Kind, type, architectures,
            [.. image.EnabledSystemIdentifiers], enabled, disabled, image.FilterOnly, image.IsDefault,
            image.BootFilePaths.ToImmutableDictionary(StringComparer.Ordinal), type == BootImageType.BootFileOnly ? null : image.RootPath);
    }

    private static bool TryParseMacs(IReadOnlyList<string> texts, out ImmutableArray<PhysicalAddress> macs, out string why)
    {
        var builder = ImmutableArray.CreateBuilder<PhysicalAddress>(texts.Count);
        foreach (var text in texts)
        {
            if (!PhysicalAddress.TryParse(text.Replace(':', '-'), out var mac) || mac.GetAddressBytes().Length != 6)
            {
                macs = default;
                why = $"\"{text}\" is not a MAC address";
                return false;
            }
            builder.Add(mac);
        }
        macs = builder.MoveToImmutable();
        why = "";
        return true;
    }
}

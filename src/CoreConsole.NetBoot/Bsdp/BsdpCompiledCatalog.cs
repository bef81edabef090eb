using System.Buffers.Binary;
using System.Text;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// A <see cref="BootCatalog"/> pre-encoded for the packet path: UTF-8 bytes for every compared string, MACs as
/// integers, image descriptions ready to copy, in Apple list order. Built once per catalogue update so a request
/// allocates nothing. Images Apple would refuse to load are dropped and reported in <see cref="Problems"/>.
/// </summary>
internal sealed class BsdpCompiledCatalog
{
    public static readonly BsdpCompiledCatalog Empty = Compile(BootCatalog.Empty);

    private BsdpCompiledCatalog(BootCatalog source, BsdpCompiledImage[] images, Dictionary<string, ushort> models, IReadOnlyList<string> problems)
    {
        Source = source;
        Images = images;
        _models = models.GetAlternateLookup<ReadOnlySpan<char>>();
        Problems = problems;
    }

    private readonly Dictionary<string, ushort>.AlternateLookup<ReadOnlySpan<char>> _models;

    public BootCatalog Source { get; }
    public BsdpCompiledImage[] Images { get; }
    public IReadOnlyList<string> Problems { get; }

    public static BsdpCompiledCatalog Compile(BootCatalog catalog)
    {
        var problems = new List<string>();
        var ids = new HashSet<uint>();
        var kept = new List<BsdpCompiledImage>();
        foreach (var image in catalog.Images.IsDefault ? [] : catalog.Images)
        {
            string? why = Reject(image);
            if (why is null && !ids.Add(image.BootImageId)) why = $"boot image id 0x{image.BootImageId:X8} is not unique (first one wins)";
            if (why is not null)
            {
                problems.Add($"Image {image.Index} \"{image.Name}\" ignored: {why}.");
                continue;
            }
            kept.Add(new BsdpCompiledImage(image, problems));
        }
        // Apple list order: IsDefault images first (unrestricted ones before model-restricted ones), then the rest.
        var ordered = kept.OrderBy(i => i.Source.IsDefault ? (i.SystemIdentifiers.Length == 0 ? 0 : 1) : 2).ToArray();
        var models = new Dictionary<string, ushort>(catalog.Mapping?.Models ?? [], StringComparer.Ordinal);
        return new BsdpCompiledCatalog(catalog, ordered, models, problems);
    }

    private static string? Reject(BootImage image)
    {
        if (image.Index == 0) return "Index 0 is the null image";
        if (string.IsNullOrEmpty(image.Name)) return "empty Name";
        if (image.Type is BootImageType.NFS or BootImageType.HTTP && string.IsNullOrEmpty(image.RootPath)) return "no root path";
        if (image.RootPath is { } root && Encoding.UTF8.GetByteCount(root) > 255) return "root path longer than 255 bytes";
        foreach (var (arch, path) in image.BootFilePaths ?? [])
        {
            // The BOOTP file field is 128 bytes incl. NUL; Apple silently sends it empty, we refuse the image.
            if (Encoding.UTF8.GetByteCount(path) >= 128) return $"boot file path for {arch} is 128 bytes or longer";
        }
        return null;
    }

    /// <summary>The mapping's per-model index for this client model, if any.</summary>
    public bool TryGetModelIndex(ReadOnlySpan<byte> model, out ushort index)
    {
        index = 0;
        if (_models.Dictionary.Count == 0 || model.Length > 255) return false;
        Span<char> chars = stackalloc char[model.Length];
        int n = Encoding.UTF8.GetChars(model, chars);
        return _models.TryGetValue(chars[..n], out index);
    }

    /// <summary>The image to advertise in option 7 (BSDP.md §7.3 plus the console's mapping); null when none is eligible.</summary>
    public BsdpCompiledImage? DefaultFor(in BsdpClient client, bool applyFilter)
    {
        if (Source.Mapping is { } mapping)
        {
            if (TryGetModelIndex(client.SystemIdentifier, out ushort modelIndex) && FirstEligible(client, applyFilter, modelIndex) is { } forModel)
                return forModel;
            if (mapping.DefaultIndex is ushort defaultIndex && FirstEligible(client, applyFilter, defaultIndex) is { } mapped)
                return mapped;
        }
        return FirstEligible(client, applyFilter, null);
    }

    public BsdpCompiledImage? FindEligible(in BsdpClient client, uint id)
    {
        foreach (var image in Images)
        {
            if (image.Id == id) return image.IsEligible(client, applyFilter: false) ? image : null;
        }
        return null;
    }

    private BsdpCompiledImage? FirstEligible(in BsdpClient client, bool applyFilter, ushort? index)
    {
        foreach (var image in Images)
        {
            if (index is ushort i && image.Index != i) continue;
            if (image.IsEligible(client, applyFilter)) return image;
        }
        return null;
    }
}

/// <summary>Who is asking: parsed from option 60, chaddr and BSDP option 11.</summary>
internal readonly ref struct BsdpClient(ReadOnlySpan<byte> architecture, ReadOnlySpan<byte> systemIdentifier, ulong mac, ReadOnlySpan<byte> attributesFilter)
{
    public ReadOnlySpan<byte> Architecture { get; } = architecture;
    public ReadOnlySpan<byte> SystemIdentifier { get; } = systemIdentifier;
    public ulong Mac { get; } = mac;
    public ReadOnlySpan<byte> AttributesFilter { get; } = attributesFilter;

    public static ulong MacToInt64(ReadOnlySpan<byte> six) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]);
}

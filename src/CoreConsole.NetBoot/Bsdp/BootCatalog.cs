using System.Collections.Immutable;
using System.Net.NetworkInformation;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// Everything a responder needs to answer Macs: the images it may offer, in Apple list order (NBI scan order),
/// and an optional caller-supplied mapping (the console's default image plus per-model choices) that takes
/// precedence over the images' own <see cref="BootImage.IsDefault"/> flags. Immutable, so a host can swap a whole
/// catalogue atomically while packets are being answered.
/// </summary>
public sealed record BootCatalog(ImmutableArray<BootImage> Images, ModelMapping? Mapping = null)
{
    public static readonly BootCatalog Empty = new(ImmutableArray<BootImage>.Empty);
}

/// <summary>A default image and per-model overrides, by NBI <c>Index</c> (the low 16 bits of the boot image id).</summary>
public sealed record ModelMapping(ushort? DefaultIndex, ImmutableDictionary<string, ushort> Models)
{
    public static ModelMapping Create(ushort? defaultIndex, IEnumerable<KeyValuePair<string, ushort>>? models = null) =>
        new(defaultIndex, (models ?? []).ToImmutableDictionary(StringComparer.Ordinal));
}

/// <summary>Which NBImageInfo <c>Type</c> an image is; decides how the root path is advertised.</summary>
public enum BootImageType { NFS, HTTP, BootFileOnly, Classic }

/// <summary>
/// One bootable image as the responder sees it (already validated by whoever built the catalogue).
/// </summary>
/// <param name="Index">NBImageInfo <c>Index</c>, 1–65535.</param>
/// <param name="Name">Shown in Startup Disk / the boot picker.</param>
/// <param name="IsInstall">Install bit (bit 31 of the boot image id).</param>
/// <param name="Kind">NBImageInfo <c>Kind</c> (0 = Mac OS 9, 1 = Mac OS X, 2 = Mac OS X Server, 3 = diagnostics, …; 0–127).</param>
/// <param name="Architectures">e.g. <c>i386</c>, <c>ppc</c>; an NBI without the key means <c>ppc</c> only (Apple).</param>
/// <param name="EnabledSystemIdentifiers">Model whitelist (exact, case-sensitive); empty = every model.</param>
/// <param name="EnabledMacAddresses">MAC whitelist; empty = every MAC.</param>
/// <param name="DisabledMacAddresses">MAC blacklist.</param>
/// <param name="FilterOnly">Offered only to clients that send an attribute filter (BSDP option 11).</param>
/// <param name="IsDefault">NBImageInfo <c>IsDefault</c>; used only when no <see cref="ModelMapping"/> decides.</param>
/// <param name="BootFilePaths">TFTP path of the booter per architecture, as put in the BOOTP <c>file</c> field.</param>
/// <param name="RootPath">Full option-17 root path (e.g. <c>http://10.0.1.7/vboot/NetBoot/Install.nbi/NetInstall.dmg</c>); null for BootFileOnly.</param>
public sealed record BootImage(
    ushort Index,
    string Name,
    bool IsInstall,
    byte Kind,
    BootImageType Type,
    ImmutableArray<string> Architectures,
    ImmutableArray<string> EnabledSystemIdentifiers,
    ImmutableArray<PhysicalAddress> EnabledMacAddresses,
    ImmutableArray<PhysicalAddress> DisabledMacAddresses,
    bool FilterOnly,
    bool IsDefault,
    ImmutableDictionary<string, string> BootFilePaths,
    string? RootPath)
{
    /// <summary>The 32-bit BSDP boot image id: install bit, kind in bits 24–30, index in the low 16 bits.</summary>
    public uint BootImageId => (IsInstall ? 0x8000_0000u : 0u) | ((uint)(Kind & 0x7F) << 24) | Index;
}

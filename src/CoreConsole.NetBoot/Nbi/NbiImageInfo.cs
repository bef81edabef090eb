using System.Collections.Immutable;
using System.Net.NetworkInformation;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>
/// The keys of an NBImageInfo.plist (BSDP.md §7.1), after type checks and Apple's defaults. Unknown keys are ignored.
/// Model identifiers are kept exactly as written (never split on commas: <c>MacPro1,1,Quad</c> is one model).
/// </summary>
public sealed record NbiImageInfo
{
    /// <summary>1–65535; 1–4095 are server-local, 4096 and up may be merged across servers by the client.</summary>
    public required ushort Index { get; init; }

    public required string Name { get; init; }

    public required BootImageType Type { get; init; }

    /// <summary>0 Mac OS 9, 1 Mac OS X, 2 Mac OS X Server, 3 diagnostics; defaults from Type when absent.</summary>
    public required byte Kind { get; init; }

    public bool IsInstall { get; init; }

    public bool IsDefault { get; init; }

    /// <summary>Apple's default is true: an NBI without the key is offered.</summary>
    public bool IsEnabled { get; init; } = true;

    /// <summary>File name of the booter inside each <c>&lt;arch&gt;</c> folder, e.g. <c>booter</c>.</summary>
    public required string BootFile { get; init; }

    /// <summary>Apple's default is <c>["ppc"]</c> when the key is absent.</summary>
    public ImmutableArray<string> Architectures { get; init; } = ["ppc"];

    /// <summary>DMG relative to the .nbi folder, or a full <c>http://</c>/<c>nfs:</c> URL ("indirect"); null for BootFileOnly.</summary>
    public string? RootPath { get; init; }

    public bool SupportsDiskless { get; init; }

    /// <summary>Offered only to clients that filter on attributes. Defaults to true for Kind 3 (diagnostics).</summary>
    public bool FilterOnly { get; init; }

    public ImmutableArray<string> EnabledSystemIdentifiers { get; init; } = [];

    /// <summary>Written by SIU as a pick-list of supported models; Apple's bootpd never reads it (BSDP.md §7.2).</summary>
    public ImmutableArray<string> DisabledSystemIdentifiers { get; init; } = [];

    public ImmutableArray<PhysicalAddress> EnabledMacAddresses { get; init; } = [];

    public ImmutableArray<PhysicalAddress> DisabledMacAddresses { get; init; } = [];

    public string? Description { get; init; }

    public string? Language { get; init; }

    public string? OsVersion { get; init; }

    /// <summary>The 32-bit BSDP boot image id: install bit, kind in bits 24–30, index in the low 16 bits.</summary>
    public uint BootImageId => (IsInstall ? 0x8000_0000u : 0u) | ((uint)(Kind & 0x7F) << 24) | Index;

    /// <summary>True when <see cref="RootPath"/> is a full URL rather than a file in the .nbi folder.</summary>
    public bool HasIndirectRootPath => RootPath is not null && NbiPaths.IsIndirect(RootPath);
}

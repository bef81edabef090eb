namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// The 32-bit boot image id (BSDP.md §5.1): <c>I KKKKKKK | reserved | index(16)</c>. Attributes are the high
/// 16 bits (what option 11 filters on). Ids are unique on all 32 bits, never 0.
/// </summary>
public readonly record struct BsdpBootImageId(uint Value)
{
    public const uint InstallBit = 0x8000_0000;

    public static BsdpBootImageId Create(bool isInstall, byte kind, ushort index) =>
        new((isInstall ? InstallBit : 0u) | ((uint)(kind & 0x7F) << 24) | index);

    public bool IsInstall => (Value & InstallBit) != 0;
    public byte Kind => (byte)((Value >> 24) & 0x7F);
    public ushort Index => (ushort)Value;
    public ushort Attributes => (ushort)(Value >> 16);

    /// <summary>0x0001–0x0FFF: this server only; 0x1000–0xFFFF: may be merged across servers by clients.</summary>
    public bool IsGloballyUnique => Index >= 0x1000;

    public override string ToString() => $"0x{Value:X8}";
}

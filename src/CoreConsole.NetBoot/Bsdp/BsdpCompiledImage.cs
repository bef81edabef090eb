using System.Text;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>One catalogue image in packet-ready form, with Apple's eligibility test (BSDP.md §7.2).</summary>
internal sealed class BsdpCompiledImage
{
    public BsdpCompiledImage(BootImage source, List<string> problems)
    {
        Source = source;
        Id = source.BootImageId;
        Description = BsdpImageName.EncodeDescription(Id, source.Name);
        var archs = source.Architectures.IsDefault ? [] : source.Architectures;
        ArchitectureNames = [.. archs];
        Architectures = [.. archs.Select(a => Encoding.UTF8.GetBytes(a))];
        BootFiles = [.. archs.Select(a => source.BootFilePaths is { } paths && paths.TryGetValue(a, out var p) ? Encoding.UTF8.GetBytes(p) : null)];
        SystemIdentifiers = [.. (source.EnabledSystemIdentifiers.IsDefault ? [] : source.EnabledSystemIdentifiers).Select(s => Encoding.UTF8.GetBytes(s))];
        EnabledMacs = Macs(source.EnabledMacAddresses, "EnabledMACAddresses", problems);
        DisabledMacs = Macs(source.DisabledMacAddresses, "DisabledMACAddresses", problems);
        RootPath = source.Type is BootImageType.BootFileOnly || source.RootPath is null ? null : Encoding.UTF8.GetBytes(source.RootPath);
    }

    public BootImage Source { get; }
    public uint Id { get; }
    public ushort Index => (ushort)Id;
    public ushort Attributes => (ushort)(Id >> 16);
    public byte[] Description { get; }
    public string[] ArchitectureNames { get; }
    public byte[][] Architectures { get; }
    /// <summary>Aligned with <see cref="Architectures"/>; null where the image has no booter for that arch.</summary>
    public byte[]?[] BootFiles { get; }
    public byte[][] SystemIdentifiers { get; }
    public ulong[] EnabledMacs { get; }
    public ulong[] DisabledMacs { get; }
    public byte[]? RootPath { get; }

    public bool IsEligible(in BsdpClient client, bool applyFilter)
    {
        if (ArchitectureIndex(client.Architecture) < 0) return false;
        if (SystemIdentifiers.Length > 0 && !Contains(SystemIdentifiers, client.SystemIdentifier)) return false;
        if (Array.IndexOf(DisabledMacs, client.Mac) >= 0) return false;
        if (EnabledMacs.Length > 0 && Array.IndexOf(EnabledMacs, client.Mac) < 0) return false;
        if (!applyFilter) return true;
        return client.AttributesFilter.IsEmpty
            ? !Source.FilterOnly
            : BsdpVendorOptions.FilterContains(client.AttributesFilter, Attributes);
    }

    public int ArchitectureIndex(ReadOnlySpan<byte> architecture)
    {
        for (int i = 0; i < Architectures.Length; i++)
        {
            if (architecture.SequenceEqual(Architectures[i])) return i;
        }
        return -1;
    }

    private static bool Contains(byte[][] values, ReadOnlySpan<byte> value)
    {
        foreach (var v in values)
        {
            if (value.SequenceEqual(v)) return true;
        }
        return false;
    }

    private ulong[] Macs(System.Collections.Immutable.ImmutableArray<System.Net.NetworkInformation.PhysicalAddress> list, string what, List<string> problems)
    {
        var result = new List<ulong>();
        foreach (var mac in list.IsDefault ? [] : list)
        {
            var bytes = mac.GetAddressBytes();
            if (bytes.Length == 6) result.Add(BsdpClient.MacToInt64(bytes));
            else problems.Add($"Image {Source.Index} \"{Source.Name}\": {what} entry {mac} is not a 6-byte MAC, ignored.");
        }
        // A whitelist of only unusable entries must still exclude everyone: keep an impossible (> 48-bit) value.
        if (result.Count == 0 && !list.IsDefaultOrEmpty) result.Add(ulong.MaxValue);
        return [.. result];
    }
}

using System.Buffers.Binary;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.NetBoot.Bsdp;

public enum BsdpVendorOptionsStatus
{
    Ok,
    /// <summary>No option 43 at all.</summary>
    Missing,
    /// <summary>An option-43 instance overruns (the whole request is ignored, as Apple does).</summary>
    Malformed,
    /// <summary>A fixed-size sub-option (1, 2, 3, 4, 5, 7, 8) has the wrong length.</summary>
    BadLength,
}

/// <summary>
/// The BSDP sub-options of a packet: every option-43 instance is validated and walked on its own and the
/// results concatenated; single-valued sub-options come from their first occurrence (BSDP.md §3).
/// </summary>
public ref struct BsdpVendorOptions
{
    public BsdpMessageType MessageType { get; private set; }
    public bool HasMessageType { get; private set; }
    public ushort? Version { get; private set; }
    public uint? ServerIdentifier { get; private set; }
    public ushort? ServerPriority { get; private set; }
    public ushort? ReplyPort { get; private set; }
    public uint? DefaultBootImage { get; private set; }
    public uint? SelectedBootImage { get; private set; }
    /// <summary>Only honoured when exactly 2 bytes long (Apple); otherwise null.</summary>
    public ushort? MaxMessageSize { get; private set; }
    public bool NetBoot10Firmware { get; private set; }
    /// <summary>Option 11 trimmed to whole 16-bit values; empty means no filter.</summary>
    public ReadOnlySpan<byte> AttributesFilter { get; private set; }
    public bool HasAttributesFilter => !AttributesFilter.IsEmpty;
    public ReadOnlySpan<byte> MachineName { get; private set; }

    public static BsdpVendorOptionsStatus TryParse(in DhcpPacketReader packet, out BsdpVendorOptions options)
    {
        options = default;
        bool any = false;
        foreach (var instance in packet.OptionsWithCode(DhcpOptionCode.VendorSpecific))
        {
            any = true;
            if (!DhcpOptionEnumerator.IsWellFormed(instance.Value)) return BsdpVendorOptionsStatus.Malformed;
        }
        if (!any) return BsdpVendorOptionsStatus.Missing;

        uint seen = 0; // bit per code 1..12: first occurrence wins
        bool seenMachineName = false;
        foreach (var instance in packet.OptionsWithCode(DhcpOptionCode.VendorSpecific))
        {
            foreach (var sub in new DhcpOptionEnumerator(instance.Value))
            {
                if (sub.Code == BsdpOptionCode.MachineName)
                {
                    if (!seenMachineName) options.MachineName = sub.Value;
                    seenMachineName = true;
                    continue;
                }
                if (sub.Code > 31) continue;
                uint bit = 1u << sub.Code;
                if ((seen & bit) != 0) continue;
                seen |= bit;
                if (!options.Apply(sub.Code, sub.Value)) return BsdpVendorOptionsStatus.BadLength;
            }
        }
        return BsdpVendorOptionsStatus.Ok;
    }

    private bool Apply(byte code, ReadOnlySpan<byte> v)
    {
        switch (code)
        {
            case BsdpOptionCode.MessageType:
                if (v.Length != 1) return false;
                MessageType = (BsdpMessageType)v[0];
                HasMessageType = true;
                return true;
            case BsdpOptionCode.Version:
                if (v.Length != 2) return false;
                Version = BinaryPrimitives.ReadUInt16BigEndian(v);
                return true;
            case BsdpOptionCode.ServerIdentifier:
                if (v.Length != 4) return false;
                ServerIdentifier = BinaryPrimitives.ReadUInt32BigEndian(v);
                return true;
            case BsdpOptionCode.ServerPriority:
                if (v.Length != 2) return false;
                ServerPriority = BinaryPrimitives.ReadUInt16BigEndian(v);
                return true;
            case BsdpOptionCode.ReplyPort:
                if (v.Length != 2) return false;
                ReplyPort = BinaryPrimitives.ReadUInt16BigEndian(v);
                return true;
            case BsdpOptionCode.DefaultBootImage:
                if (v.Length != 4) return false;
                DefaultBootImage = BinaryPrimitives.ReadUInt32BigEndian(v);
                return true;
            case BsdpOptionCode.SelectedBootImage:
                if (v.Length != 4) return false;
                SelectedBootImage = BinaryPrimitives.ReadUInt32BigEndian(v);
                return true;
            case BsdpOptionCode.MaxMessageSize:
                if (v.Length == 2) MaxMessageSize = BinaryPrimitives.ReadUInt16BigEndian(v);
                return true;
            case BsdpOptionCode.NetBoot10Firmware:
                NetBoot10Firmware = true;
                return true;
            case BsdpOptionCode.AttributesFilterList:
                AttributesFilter = v[..(v.Length & ~1)];
                return true;
            default:
                return true; // unknown sub-options are ignored (field case 14 E)
        }
    }

    /// <summary>True when <paramref name="attributes"/> equals one of the 16-bit filter values.</summary>
    public static bool FilterContains(ReadOnlySpan<byte> filter, ushort attributes)
    {
        for (int i = 0; i + 1 < filter.Length; i += 2)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(filter[i..]) == attributes) return true;
        }
        return false;
    }
}

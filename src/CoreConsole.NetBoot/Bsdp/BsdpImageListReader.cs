using System.Buffers.Binary;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>
/// Client-side view of ACK[LIST] image lists: walks every option 9 in every option 43. Returns false from
/// <see cref="TryValidate"/> when a description overruns its option 9.
/// </summary>
public static class BsdpImageListReader
{
    public static bool TryValidate(in DhcpPacketReader packet, out int count)
    {
        count = 0;
        foreach (var instance in packet.OptionsWithCode(DhcpOptionCode.VendorSpecific))
        {
            if (!DhcpOptionEnumerator.IsWellFormed(instance.Value)) return false;
            foreach (var sub in new DhcpOptionEnumerator(instance.Value))
            {
                if (sub.Code != BsdpOptionCode.BootImageList) continue;
                var list = sub.Value;
                while (!list.IsEmpty)
                {
                    if (list.Length < 5 || list.Length < 5 + list[4]) return false;
                    list = list[(5 + list[4])..];
                    count++;
                }
            }
        }
        return true;
    }

    /// <summary>Copies out (id, name) pairs; allocates, meant for tests and tools.</summary>
    public static List<(BsdpBootImageId Id, string Name)> ReadAll(in DhcpPacketReader packet)
    {
        var result = new List<(BsdpBootImageId, string)>();
        if (!TryValidate(packet, out _)) throw new FormatException("Boot image list overruns its option.");
        foreach (var instance in packet.OptionsWithCode(DhcpOptionCode.VendorSpecific))
        {
            foreach (var sub in new DhcpOptionEnumerator(instance.Value))
            {
                if (sub.Code != BsdpOptionCode.BootImageList) continue;
                var list = sub.Value;
                while (!list.IsEmpty)
                {
                    int nameLength = list[4];
                    result.Add((new BsdpBootImageId(BinaryPrimitives.ReadUInt32BigEndian(list)),
                        System.Text.Encoding.UTF8.GetString(list.Slice(5, nameLength))));
                    list = list[(5 + nameLength)..];
                }
            }
        }
        return result;
    }
}

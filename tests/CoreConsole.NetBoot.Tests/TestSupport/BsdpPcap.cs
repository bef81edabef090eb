using System.Buffers.Binary;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>Writes classic libpcap files (LINKTYPE_ETHERNET) of UDP/IPv4 datagrams so tshark can dissect our replies.</summary>
internal static class BsdpPcap
{
    public static void Write(string path, IEnumerable<(uint Source, ushort SourcePort, uint Destination, ushort DestinationPort, byte[] Payload)> datagrams)
    {
        using var file = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1); // Ethernet
        file.Write(global);
        uint second = 1_700_000_000;
        Span<byte> record = stackalloc byte[16];
        foreach (var d in datagrams)
        {
            var frame = Frame(d.Source, d.SourcePort, d.Destination, d.DestinationPort, d.Payload);
            BinaryPrimitives.WriteUInt32LittleEndian(record, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }

    private static byte[] Frame(uint source, ushort sourcePort, uint destination, ushort destinationPort, byte[] payload)
    {
        var frame = new byte[14 + 20 + 8 + payload.Length];
        var eth = frame.AsSpan();
        Convert.FromHexString("80e65009eda2").CopyTo(eth);      // to the client
        Convert.FromHexString("020000000001").CopyTo(eth[6..]);  // from the agent
        BinaryPrimitives.WriteUInt16BigEndian(eth[12..], 0x0800);
        var ip = eth.Slice(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;
        ip[9] = 17; // UDP
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], destination);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        var udp = eth.Slice(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length)); // checksum 0 = none (IPv4)
        payload.CopyTo(eth[42..]);
        return frame;
    }
}

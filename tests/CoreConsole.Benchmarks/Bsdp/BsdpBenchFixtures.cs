using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.Benchmarks.Bsdp;

/// <summary>
/// A realistic catalogue and Startup Disk style requests, shared by the micro-benchmarks and the UDP host mode.
/// Client: MacBookPro14,1 (i386), MAC 80:e6:50:09:ed:a2. Layout follows tests/CoreConsole.NetBoot.Tests BsdpTestPackets.
/// </summary>
public static class BsdpBenchFixtures
{
    public const string ClientModel = "MacBookPro14,1";
    public const string ClientMac = "80e65009eda2";
    public const uint Xid = 0x0D6588A4;

    private static readonly string[] Releases =
    [
        "10.13.6 (17G65)", "10.13.6 (17G14042)", "10.14.6 (18G103)", "10.14.6 (18G9323)", "10.15.7 (19H2)",
        "10.15.7 (19H1824)", "11.7.10 (20G1427)", "12.7.6 (21H1320)", "13.6.9 (22G830)", "14.6.1 (23G93)",
    ];

    // Model whitelists on some images (iMac-only labs, a MacBookPro14,1-only image, Mac mini servers).
    private static readonly string[][] Whitelists =
    [
        [], [], ["iMac18,1", "iMac18,2", "iMac18,3"], [], ["MacBookPro14,1", "MacBookPro14,2"],
        [], ["Macmini8,1"], [], ["iMac19,1", "iMac19,2"], [],
    ];

    /// <summary>
    /// <paramref name="count"/> images, indices 1001…: alternate NetInstall / NetBoot, HTTP root paths, i386 booters,
    /// model whitelists on 4 of every 10, image 1001 IsDefault. Mapping: default 1003, MacBookPro14,1 → 1005, iMac18,3 → 1002.
    /// </summary>
    public static BootCatalog Catalog(int count = 20)
    {
        var images = ImmutableArray.CreateBuilder<BootImage>(count);
        for (int i = 0; i < count; i++)
        {
            ushort index = (ushort)(1001 + i);
            bool install = i % 2 == 0;
            string release = Releases[i % Releases.Length];
            string name = install ? $"Install macOS {release}" : $"NetBoot macOS {release}";
            string folder = $"NetBoot/NetBootSP0/{(install ? "Install" : "Boot")}-{index}.nbi";
            images.Add(new BootImage(index, name, install, Kind: 1, BootImageType.HTTP,
                ["i386"],
                [.. Whitelists[i % Whitelists.Length]],
                ImmutableArray<PhysicalAddress>.Empty,
                i == 7 ? [PhysicalAddress.Parse("001122334455")] : ImmutableArray<PhysicalAddress>.Empty,
                FilterOnly: false,
                IsDefault: i == 0,
                ImmutableDictionary<string, string>.Empty.Add("i386", $"/private/tftpboot/{folder}/i386/booter"),
                $"http://10.0.1.7/{folder}/{(install ? "NetInstall" : "NetBoot")}.dmg"));
        }
        var mapping = ModelMapping.Create(1003, [KeyValuePair.Create("MacBookPro14,1", (ushort)1005), KeyValuePair.Create("iMac18,3", (ushort)1002)]);
        return new BootCatalog(images.MoveToImmutable(), mapping);
    }

    public static BsdpResponderOptions Options(IPAddress serverAddress, int replyPortLimit = BsdpLimits.PrivilegedPortLimit) => new()
    {
        ServerAddress = serverAddress,
        ServerHostName = "agent1",
        ReplyPortLimit = replyPortLimit,
    };

    /// <summary>Startup Disk INFORM[LIST]: version 1.1, reply port, max message 8192.</summary>
    public static byte[] ListRequest(IPAddress ciaddr, ushort replyPort) =>
        Request(ciaddr, [0x01, 0x01, 0x01, 0x02, 0x02, 0x01, 0x01, 0x05, 0x02, (byte)(replyPort >> 8), (byte)replyPort, 0x0C, 0x02, 0x20, 0x00]);

    /// <summary>INFORM[SELECT] of <paramref name="imageId"/> on <paramref name="server"/>, with a reply port.</summary>
    public static byte[] SelectRequest(IPAddress ciaddr, ushort replyPort, IPAddress server, uint imageId)
    {
        var bsdp = new byte[3 + 4 + 6 + 6 + 4];
        ReadOnlySpan<byte> head = [0x01, 0x01, 0x02, 0x02, 0x02, 0x01, 0x01, 0x03, 0x04];
        head.CopyTo(bsdp);
        server.GetAddressBytes().CopyTo(bsdp, 9);
        bsdp[13] = 0x08; bsdp[14] = 0x04;
        BinaryPrimitives.WriteUInt32BigEndian(bsdp.AsSpan(15), imageId);
        bsdp[19] = 0x05; bsdp[20] = 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(bsdp.AsSpan(21), replyPort);
        return Request(ciaddr, bsdp);
    }

    /// <summary>Boot image id of catalogue image <paramref name="index"/> (install images have bit 31 set).</summary>
    public static uint ImageId(BootCatalog catalog, ushort index) => catalog.Images.Single(i => i.Index == index).BootImageId;

    private static byte[] Request(IPAddress ciaddr, byte[] bsdpOptions)
    {
        var packet = new List<byte>(400);
        var header = new byte[240];
        header[0] = 1; header[1] = 1; header[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), Xid);
        ciaddr.GetAddressBytes().CopyTo(header, 12);
        Convert.FromHexString(ClientMac).CopyTo(header, 28);
        header[236] = 0x63; header[237] = 0x82; header[238] = 0x53; header[239] = 0x63;
        packet.AddRange(header);
        packet.AddRange([0x35, 0x01, 0x08]);             // DHCPINFORM
        packet.AddRange([0x37, 0x02, 0x3C, 0x2B]);       // parameter list: 60, 43
        packet.AddRange([0x39, 0x02, 0x05, 0xDC]);       // max message 1500
        var vendorClass = Encoding.ASCII.GetBytes($"AAPLBSDPC/i386/{ClientModel}");
        packet.Add(0x3C); packet.Add((byte)vendorClass.Length); packet.AddRange(vendorClass);
        packet.Add(0x2B); packet.Add((byte)bsdpOptions.Length); packet.AddRange(bsdpOptions);
        packet.Add(0xFF);
        return [.. packet];
    }
}

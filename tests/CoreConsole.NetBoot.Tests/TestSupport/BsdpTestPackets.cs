using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>The common fixtures of BSDP-FIELD-CASES.md: server 10.0.1.7 "agent1", client 10.0.1.93 MacBookPro14,1.</summary>
internal static class BsdpTestPackets
{
    public const uint ServerIp = 0x0A000107;     // 10.0.1.7
    public const uint OtherServerIp = 0x0A000163; // 10.0.1.99
    public const uint ClientIp = 0x0A00015D;     // 10.0.1.93
    public const string ClientMac = "80e65009eda2";
    public const uint Xid = 0x0D6588A4;

    public const string ClassMacBookPro = "3c 1d 41 41 50 4c 42 53 44 50 43 2f 69 33 38 36 2f 4d 61 63 42 6f 6f 6b 50 72 6f 31 34 2c 31";
    public const string BaseOpts = "35 01 08 37 02 3c 2b 39 02 05 dc " + ClassMacBookPro;
    public const string FirmwareList = "2b 07 01 01 01 02 02 01 01";
    public const string StartupDiskList = "2b 0f 01 01 01 02 02 01 01 05 02 03 e1 0c 02 20 00";
    public const string Select864 = "2b 13 01 01 02 02 02 01 01 03 04 0a 00 01 07 08 04 81 00 03 60";

    public const string ExpectedListOptions =
        "35 01 05 36 04 0a 00 01 07 3c 09 41 41 50 4c 42 53 44 50 43 2b 1e 01 01 01 04 02 80 00 07 04 81 00 03 60 09 0f 81 00 03 60 0a 4e 65 74 49 6e 73 74 61 6c 6c ff";
    public const string ExpectedFailedOptions =
        "35 01 05 36 04 0a 00 01 07 3c 09 41 41 50 4c 42 53 44 50 43 2b 03 01 01 03 ff";

    public const string RootPath864 = "http://10.0.1.7/NetBoot/NetBootSP0/Install.nbi/NetInstall.dmg";
    public const string BootFile864 = "/private/tftpboot/NetBoot/NetBootSP0/Install.nbi/i386/booter";

    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    /// <summary>BASE-INFORM header + cookie + the given options (+ End unless told otherwise).</summary>
    public static byte[] Request(string options, uint ciaddr = ClientIp, byte op = 1, byte hops = 0, uint giaddr = 0,
        string mac = ClientMac, uint siaddr = 0, string? sname = null, bool end = true)
    {
        var header = new byte[240];
        header[0] = op; header[1] = 1; header[2] = 6; header[3] = hops;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), Xid);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), ciaddr);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(20), siaddr);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(24), giaddr);
        Hex(mac).CopyTo(header, 28);
        if (sname is not null) System.Text.Encoding.ASCII.GetBytes(sname).CopyTo(header, 44);
        header[236] = 0x63; header[237] = 0x82; header[238] = 0x53; header[239] = 0x63;
        return [.. header, .. Hex(options), .. end ? [(byte)0xFF] : Array.Empty<byte>()];
    }

    public static byte[] List(string extraOptions = "") => Request(BaseOpts + " " + FirmwareList + " " + extraOptions);

    public static BootImage Image(ushort index, string name, bool install = true, byte kind = 1, bool isDefault = false,
        string[]? architectures = null, string[]? models = null, string[]? enabledMacs = null, string[]? disabledMacs = null,
        bool filterOnly = false, BootImageType type = BootImageType.HTTP, string? bootFile = BootFile864, string? rootPath = RootPath864) =>
        new(index, name, install, kind, type,
            [.. architectures ?? ["i386"]],
            [.. models ?? []],
            [.. (enabledMacs ?? []).Select(PhysicalAddress.Parse)],
            [.. (disabledMacs ?? []).Select(PhysicalAddress.Parse)],
            filterOnly, isDefault,
            bootFile is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.AddRange(
                (architectures ?? ["i386"]).Select(a => KeyValuePair.Create(a, bootFile))),
            type == BootImageType.BootFileOnly ? null : rootPath);

    public static BootImage NetInstall864 => Image(864, "NetInstall", isDefault: true);

    public static BootCatalog Catalog(params BootImage[] images) => new([.. images]);

    public static BsdpResponderOptions Options(ushort basePriority = 0x8000) => new()
    {
        ServerAddress = IPAddress.Parse("10.0.1.7"),
        ServerHostName = "agent1",
        BasePriority = basePriority,
    };

    public static BsdpResponder Responder(params BootImage[] images) => new(Options(), Catalog(images));
}

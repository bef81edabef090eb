namespace CoreConsole.NetBoot.Bsdp;

/// <summary>BSDP sub-option codes carried inside DHCP option 43 (BSDP.md §5).</summary>
public static class BsdpOptionCode
{
    public const byte MessageType = 1;
    public const byte Version = 2;
    public const byte ServerIdentifier = 3;
    public const byte ServerPriority = 4;
    public const byte ReplyPort = 5;
    public const byte BootImageListPath = 6;
    public const byte DefaultBootImage = 7;
    public const byte SelectedBootImage = 8;
    public const byte BootImageList = 9;
    public const byte NetBoot10Firmware = 10;
    public const byte AttributesFilterList = 11;
    public const byte MaxMessageSize = 12;
    public const byte ShadowMountPath = 128;
    public const byte ShadowFilePath = 129;
    public const byte MachineName = 130;
}

/// <summary>BSDP sub-option 1.</summary>
public enum BsdpMessageType : byte { None = 0, List = 1, Select = 2, Failed = 3 }

public static class BsdpVersion
{
    public const ushort V1_1 = 0x0101, V1_0 = 0x0100, V0 = 0x0000;

    /// <summary>The versions Apple's bootpd answers.</summary>
    public static bool IsSupported(ushort version) => version is V1_1 or V1_0 or V0;
}

public static class BsdpLimits
{
    /// <summary><c>BSDP_IMAGE_NAME_MAX</c> = 255 − 2·2 − 5, so one description always fits one option 43.</summary>
    public const int MaxImageNameBytes = 246;

    /// <summary><c>DHCP_PACKET_MIN</c> (236 + 312): asked sizes at or below it mean "use it".</summary>
    public const int MinMessageSize = 548;

    /// <summary>Apple's send buffer.</summary>
    public const int MaxMessageSize = 8192;

    public const int IpUdpHeaders = 28;

    /// <summary>Reply ports at or above this are dropped: the Startup Disk client binds a privileged port.</summary>
    public const int PrivilegedPortLimit = 1024;

    public const ushort DefaultReplyPort = 68;

    public const ushort DefaultBasePriority = 0x8000;
}

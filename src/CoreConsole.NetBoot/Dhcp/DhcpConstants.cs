namespace CoreConsole.NetBoot.Dhcp;

/// <summary>Fixed BOOTP header layout (RFC 951/2131), all offsets in bytes.</summary>
public static class DhcpLayout
{
    public const int Op = 0, HType = 1, HLen = 2, Hops = 3, Xid = 4, Secs = 8, Flags = 10;
    public const int Ciaddr = 12, Yiaddr = 16, Siaddr = 20, Giaddr = 24, Chaddr = 28;
    public const int Sname = 44, File = 108, Cookie = 236, Options = 240;
    public const int ChaddrLength = 16, SnameLength = 64, FileLength = 128;

    /// <summary>236-byte header + 4-byte cookie; anything shorter is not DHCP.</summary>
    public const int MinPacketLength = Options;

    /// <summary>Apple pads replies to <c>sizeof(struct bootp)</c>.</summary>
    public const int MinReplyLength = 300;

    public const uint MagicCookie = 0x63825363;

    public const byte BootRequest = 1, BootReply = 2;
}

/// <summary>DHCP option codes this library reads or writes (RFC 2132).</summary>
public static class DhcpOptionCode
{
    public const byte Pad = 0;
    public const byte RootPath = 17;
    public const byte VendorSpecific = 43;
    public const byte RequestedAddress = 50;
    public const byte Overload = 52;
    public const byte MessageType = 53;
    public const byte ServerIdentifier = 54;
    public const byte ParameterRequestList = 55;
    public const byte MaxMessageSize = 57;
    public const byte VendorClassIdentifier = 60;
    public const byte End = 255;
}

/// <summary>DHCP option 53 values.</summary>
public enum DhcpMessageType : byte
{
    None = 0, Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7, Inform = 8,
}

using System.Net;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>What the responder sent back.</summary>
public enum BsdpReplyKind { None, List, Select, Failed }

/// <summary>Why a request got no reply. Every silent path has its own value so operators can see it in metrics.</summary>
public enum BsdpDropReason
{
    None,
    /// <summary>Short packet, no magic cookie, or an option running past the end.</summary>
    Malformed,
    /// <summary>op ≠ 1 (e.g. another server's OFFER/ACK seen on the segment).</summary>
    NotBootRequest,
    /// <summary>htype ≠ 1 or hlen ≠ 6 (Apple answers Ethernet only).</summary>
    UnsupportedHardwareType,
    /// <summary>Option 53 is not INFORM (DISCOVER/REQUEST of the firmware's DHCP phase, field case 11).</summary>
    NotInform,
    /// <summary>Option 60 is missing or not <c>AAPLBSDPC/&lt;arch&gt;/&lt;model&gt;</c> (PXE, Windows, R7 vectors).</summary>
    NotAppleVendorClass,
    /// <summary>sname names another host, or siaddr is another server.</summary>
    NotForThisServer,
    /// <summary>No option 43.</summary>
    NoVendorOptions,
    /// <summary>An option 43 overruns or a fixed-size sub-option has the wrong length.</summary>
    MalformedVendorOptions,
    /// <summary>No BSDP version sub-option.</summary>
    NoVersion,
    /// <summary>Version other than 1.1, 1.0 or 0.</summary>
    UnsupportedVersion,
    /// <summary>BSDP option 10: NetBoot 1.0 machine, not supported.</summary>
    NetBoot10Client,
    NoMessageType,
    /// <summary>BSDP message type other than LIST or SELECT.</summary>
    UnsupportedMessageType,
    /// <summary>ciaddr is 0.0.0.0: nowhere to unicast the reply.</summary>
    NoCiaddr,
    /// <summary>BSDP reply port 0 or not privileged (≥ 1024 by default).</summary>
    BadReplyPort,
    /// <summary>No image of the catalogue is eligible for this client (LIST is not answered).</summary>
    NoEligibleImage,
    /// <summary>SELECT without BSDP server identifier.</summary>
    SelectWithoutServerIdentifier,
    /// <summary>SELECT naming another server: it answers, we stay silent (and forget our binding).</summary>
    SelectForOtherServer,
    /// <summary>The reply did not fit the caller's buffer.</summary>
    ReplyBufferTooSmall,
    /// <summary>An unexpected exception in the handler (host only).</summary>
    InternalError,
}

/// <summary>
/// The outcome of one request. When <see cref="Reply"/> is not None, <see cref="ReplyLength"/> bytes of the reply
/// buffer hold the DHCP payload to send from port 67 to <see cref="DestinationAddress"/>:<see cref="DestinationPort"/>.
/// </summary>
public readonly record struct BsdpDecision(
    BsdpReplyKind Reply,
    BsdpDropReason DropReason,
    int ReplyLength = 0,
    uint DestinationAddress = 0,
    ushort DestinationPort = 0,
    uint ImageId = 0,
    int ImagesListed = 0,
    bool ListTruncated = false)
{
    public bool HasReply => Reply != BsdpReplyKind.None;

    public static BsdpDecision Drop(BsdpDropReason reason) => new(BsdpReplyKind.None, reason);

    /// <summary>Allocates; the host uses a reusable socket address instead.</summary>
    public IPEndPoint? Destination => HasReply ? new IPEndPoint(new IPAddress(BitConverter.IsLittleEndian
        ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(DestinationAddress) : DestinationAddress), DestinationPort) : null;
}

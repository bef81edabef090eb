using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>Server-side settings of a <see cref="BsdpResponder"/>.</summary>
public sealed record BsdpResponderOptions
{
    /// <summary>
    /// The address clients reach us on: option 54, siaddr, and what SELECT's BSDP option 3 must name. Behind NAT or
    /// in a container this is the advertised address, not the socket's.
    /// </summary>
    public required IPAddress ServerAddress { get; init; }

    /// <summary>Put in <c>sname</c> of ACK[SELECT]; requests whose <c>sname</c> names another host are ignored.</summary>
    public string? ServerHostName { get; init; }

    /// <summary>Option 4 is this minus the number of client bindings (Apple: 32768).</summary>
    public ushort BasePriority { get; init; } = BsdpLimits.DefaultBasePriority;

    /// <summary>siaddr of ACK[LIST]/[FAILED]: our address (bootp ≥ 394) or 0.0.0.0 (the OS X 10.11 capture).</summary>
    public bool ServerAddressInListSiaddr { get; init; } = true;

    /// <summary>Reply ports at or above this are dropped. Only tests and labs should raise it.</summary>
    public int ReplyPortLimit { get; init; } = BsdpLimits.PrivilegedPortLimit;

    /// <summary>Checked before ACK[SELECT]: false ⇒ ACK[FAILED] rather than pointing the Mac at a missing booter.</summary>
    public Func<BootImage, string, bool>? BootFileExists { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal uint ServerAddressValue => ServerAddress.AddressFamily == AddressFamily.InterNetwork
        ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ServerAddress.GetAddressBytes())
        : throw new ArgumentException("BSDP needs an IPv4 server address.", nameof(ServerAddress));

    internal byte[] HostNameBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(ServerHostName ?? "");
        return bytes.Length < 64 ? bytes : throw new ArgumentException("Host name must be under 64 bytes (sname).", nameof(ServerHostName));
    }
}

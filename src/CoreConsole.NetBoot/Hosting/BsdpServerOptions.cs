using System.Net;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Hosting;

public sealed record BsdpServerOptions
{
    /// <summary>Where to listen. Port 67 on all interfaces by default; tests use 127.0.0.1:0.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Any, 67);

    /// <summary>Responder settings (server address, priority, host name …).</summary>
    public required BsdpResponderOptions Responder { get; init; }

    /// <summary>Reply buffer size; 8192 is Apple's maximum BSDP reply.</summary>
    public int ReplyBufferSize { get; init; } = 8192;

    /// <summary>Dedicated threads receiving on the one socket (each with its own buffers); 1 keeps replies in order.</summary>
    public int ReceiveLoops { get; init; } = 1;
}

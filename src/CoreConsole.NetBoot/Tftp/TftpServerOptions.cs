using System.Net;

namespace CoreConsole.NetBoot.Tftp;

/// <summary>Configuration of the read-only TFTP server.</summary>
public sealed record TftpServerOptions
{
    /// <summary>Directory served; nothing outside its real path (after resolving symlinks) is ever read.</summary>
    public required string RootDirectory { get; init; }

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Well-known port 69; tests use 0 (any free port) and read <see cref="TftpServer.LocalEndPoint"/>.</summary>
    public int Port { get; init; } = 69;

    /// <summary>
    /// Largest block size granted in blksize negotiation (RFC 2348). 1468 keeps a DATA packet inside a 1500-byte
    /// Ethernet frame; some Mac firmware fails with larger blocks (field case 22), so admins may lower it.
    /// </summary>
    public int MaxBlockSize { get; init; } = 1468;

    /// <summary>Retransmission timeout when the client does not negotiate one (RFC 2349 timeout option).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a packet is retransmitted before the transfer is abandoned.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>Concurrent transfers allowed; further requests get an error packet.</summary>
    public int MaxConcurrentTransfers { get; init; } = 128;

    /// <summary>netascii requests are served with LF converted to CR LF; set false to refuse them with an error.</summary>
    public bool AllowNetascii { get; init; } = true;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RootDirectory);
        if (!Directory.Exists(RootDirectory)) throw new DirectoryNotFoundException($"TFTP root {RootDirectory} does not exist");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBlockSize, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBlockSize, 65464);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetries, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentTransfers, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DefaultTimeout.Ticks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
    }
}

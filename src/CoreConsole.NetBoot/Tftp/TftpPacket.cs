using System.Buffers.Binary;
using System.Text;

namespace CoreConsole.NetBoot.Tftp;

internal enum TftpOpcode : ushort { ReadRequest = 1, WriteRequest = 2, Data = 3, Ack = 4, Error = 5, OptionAck = 6 }

/// <summary>RFC 1350 error codes, plus 8 from RFC 2347.</summary>
public enum TftpErrorCode : ushort
{
    NotDefined = 0,
    FileNotFound = 1,
    AccessViolation = 2,
    DiskFull = 3,
    IllegalOperation = 4,
    UnknownTransferId = 5,
    FileExists = 6,
    NoSuchUser = 7,
    OptionNegotiationFailed = 8,
}

/// <summary>A parsed RRQ/WRQ: file name, mode and options (option names lower-cased, RFC 2347 says case-insensitive).</summary>
internal sealed record TftpRequest(TftpOpcode Opcode, string FileName, string Mode, IReadOnlyDictionary<string, string> Options);

/// <summary>Encoding and decoding of TFTP packets. Decoders return null for malformed packets rather than throwing.</summary>
internal static class TftpPacket
{
    // File names and options are "netascii" strings; Latin-1 keeps every byte round-trippable.
    private static readonly Encoding Text = Encoding.Latin1;

    public static TftpOpcode? Opcode(ReadOnlySpan<byte> p) => p.Length >= 2 ? (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(p) : null;

    public static TftpRequest? ParseRequest(ReadOnlySpan<byte> p)
    {
        if (Opcode(p) is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest) || p[^1] != 0) return null;
        var fields = Text.GetString(p[2..^1]).Split('\0');
        if (fields.Length < 2 || fields.Length % 2 != 0 || fields[0].Length == 0) return null;

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 2; i + 1 < fields.Length; i += 2)
        {
            options.TryAdd(fields[i].ToLowerInvariant(), fields[i + 1]);
        }

        return new TftpRequest((TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(p), fields[0], fields[1].ToLowerInvariant(), options);
    }

    public static ushort? ParseAck(ReadOnlySpan<byte> p) =>
        p.Length >= 4 && Opcode(p) == TftpOpcode.Ack ? BinaryPrimitives.ReadUInt16BigEndian(p[2..]) : null;

    public static (TftpErrorCode Code, string Message)? ParseError(ReadOnlySpan<byte> p)
    {
        if (p.Length < 4 || Opcode(p) != TftpOpcode.Error) return null;
        var msg = p[4..];
        int nul = msg.IndexOf((byte)0);
        return ((TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(p[2..]), Text.GetString(nul >= 0 ? msg[..nul] : msg));
    }

    public static byte[] Error(TftpErrorCode code, string message)
    {
        var text = Text.GetBytes(message);
        var p = new byte[4 + text.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)code);
        text.CopyTo(p, 4);
        return p;
    }

    public static byte[] OptionAck(IEnumerable<KeyValuePair<string, string>> options)
    {
        var body = new MemoryStream();
        body.Write([0, (byte)TftpOpcode.OptionAck]);
        foreach (var (name, value) in options)
        {
            body.Write(Text.GetBytes(name));
            body.WriteByte(0);
            body.Write(Text.GetBytes(value));
            body.WriteByte(0);
        }

        return body.ToArray();
    }

    /// <summary>Writes the DATA header into the first 4 bytes of <paramref name="packet"/>.</summary>
    public static void WriteDataHeader(Span<byte> packet, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], block);
    }
}

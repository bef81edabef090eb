using System.Text;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>Encodes image names for option 9.</summary>
public static class BsdpImageName
{
    /// <summary>
    /// UTF-8 bytes of <paramref name="name"/>, cut to at most 246 bytes at a code-point boundary (Apple cuts
    /// mid-sequence, and its client then drops the whole image as invalid UTF-8).
    /// </summary>
    public static byte[] Encode(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length <= BsdpLimits.MaxImageNameBytes) return bytes;
        int cut = BsdpLimits.MaxImageNameBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--; // bytes[cut] is the first byte dropped
        return bytes[..cut];
    }

    /// <summary>id (4, big-endian) | length (1) | name — one ready-to-copy description.</summary>
    public static byte[] EncodeDescription(uint id, string name)
    {
        var encoded = Encode(name);
        var description = new byte[5 + encoded.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(description, id);
        description[4] = (byte)encoded.Length;
        encoded.CopyTo(description, 5);
        return description;
    }
}

using System.Buffers.Binary;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>
/// Assembles binary plists byte by byte from raw object encodings, so tests can build the broken files (bad
/// offsets, cycles, wrong key types) that no well-behaved writer produces.
/// </summary>
internal static class NbiBplist
{
    public static byte[] Build(IReadOnlyList<byte[]> objects, int top = 0, int refSize = 1, int offsetSize = 1,
        ulong? objectCount = null, ulong? topOverride = null, ulong? tableOffsetOverride = null)
    {
        var body = new List<byte>("bplist00"u8.ToArray());
        var offsets = new List<long>();
        foreach (var o in objects)
        {
            offsets.Add(body.Count);
            body.AddRange(o);
        }

        long table = body.Count;
        foreach (var off in offsets)
        {
            for (int i = offsetSize - 1; i >= 0; i--) body.Add((byte)(off >> (8 * i)));
        }

        var trailer = new byte[32];
        trailer[6] = (byte)offsetSize;
        trailer[7] = (byte)refSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(8), objectCount ?? (ulong)objects.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(16), topOverride ?? (ulong)top);
        BinaryPrimitives.WriteUInt64BigEndian(trailer.AsSpan(24), tableOffsetOverride ?? (ulong)table);
        body.AddRange(trailer);
        return [.. body];
    }

    public static byte[] Ascii(string s) => [(byte)(0x50 | s.Length), .. System.Text.Encoding.ASCII.GetBytes(s)];

    public static byte[] Int8(byte v) => [0x10, v];
}

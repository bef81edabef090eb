using System.Buffers.Binary;
using System.Text;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>
/// A minimal bplist00 writer for tests (dict, array, ASCII string, int64, bool; under 256 objects), so a binary
/// NBImageInfo.plist can be served without plutil. Layout per Apple's CFBinaryPList.c format description.
/// </summary>
public static class BinaryPlistWriter
{
    public static byte[] Write(object root)
    {
        var objects = new List<byte[]>();
        Add(root, objects);
        using var ms = new MemoryStream();
        ms.Write("bplist00"u8);
        var offsets = new List<int>();
        foreach (var o in objects)
        {
            offsets.Add((int)ms.Position);
            ms.Write(o);
        }

        var tableOffset = ms.Position;
        var b = new byte[2];
        foreach (var off in offsets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)off);
            ms.Write(b);
        }

        Span<byte> trailer = stackalloc byte[32];
        trailer[6] = 2; // offset int size
        trailer[7] = 1; // object ref size
        BinaryPrimitives.WriteUInt64BigEndian(trailer[8..], (ulong)objects.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[16..], 0); // top object
        BinaryPrimitives.WriteUInt64BigEndian(trailer[24..], (ulong)tableOffset);
        ms.Write(trailer);
        return ms.ToArray();
    }

    private static int Add(object value, List<byte[]> objects)
    {
        int index = objects.Count;
        objects.Add([]); // reserve the slot: containers reference children added after them
        objects[index] = value switch
        {
            bool b => [(byte)(b ? 0x09 : 0x08)],
            long l => [0x13, .. BitConverter.IsLittleEndian ? BitConverter.GetBytes(l).Reverse() : BitConverter.GetBytes(l)],
            string s => [.. Marker(0x50, s.Length), .. Encoding.ASCII.GetBytes(s)],
            object[] a => Container(0xA0, a.Select(x => Add(x, objects)).ToArray()),
            Dictionary<string, object> d => Dict(d, objects),
            _ => throw new ArgumentException($"unsupported {value.GetType()}"),
        };
        return index;
    }

    private static byte[] Dict(Dictionary<string, object> d, List<byte[]> objects)
    {
        var keys = d.Keys.Select(k => Add(k, objects)).ToArray();
        var values = d.Values.Select(v => Add(v, objects)).ToArray();
        return [.. Marker(0xD0, d.Count), .. keys.Concat(values).Select(r => checked((byte)r))];
    }

    private static byte[] Container(byte kind, int[] refs) => [.. Marker(kind, refs.Length), .. refs.Select(r => checked((byte)r))];

    private static byte[] Marker(byte kind, int length) =>
        length < 15 ? [(byte)(kind | length)] : [(byte)(kind | 0x0F), 0x10, checked((byte)length)];
}

using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace CoreConsole.NetBoot.Plist;

/// <summary>
/// Reader for Apple's <c>bplist00</c> format: 8-byte header, objects, offset table, 32-byte trailer.
/// Every length and offset is checked before use; objects are parsed once and memoised by index (so shared
/// references cost nothing and "billion laughs" graphs stay linear), and an in-progress set rejects cycles.
/// </summary>
internal sealed class BinaryPlistReader
{
    private const int HeaderLength = 8;
    private const int TrailerLength = 32;
    private static readonly DateTimeOffset Epoch2001 = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly byte[] _data;
    private readonly PlistReaderOptions _options;
    private readonly int _offsetSize;
    private readonly int _refSize;
    private readonly int _objectCount;
    private readonly int _offsetTable;
    private readonly PlistValue?[] _parsed;
    private readonly bool[] _inProgress;
    private int _depth;

    private BinaryPlistReader(byte[] data, PlistReaderOptions options, int offsetSize, int refSize, int objectCount, int offsetTable)
    {
        _data = data;
        _options = options;
        _offsetSize = offsetSize;
        _refSize = refSize;
        _objectCount = objectCount;
        _offsetTable = offsetTable;
        _parsed = new PlistValue?[objectCount];
        _inProgress = new bool[objectCount];
    }

    public static PlistValue Read(ReadOnlySpan<byte> bytes, PlistReaderOptions options)
    {
        if (bytes.Length < HeaderLength + TrailerLength + 1)
        {
            throw Fail(0, $"file is {bytes.Length} bytes, too short for header, one object and trailer");
        }

        if (!bytes[..8].SequenceEqual("bplist00"u8))
        {
            throw Fail(0, $"unsupported binary plist version \"{Encoding.ASCII.GetString(bytes[..8])}\" (only bplist00 is supported)");
        }

        int t = bytes.Length - TrailerLength;
        var trailer = bytes[t..];
        int offsetSize = trailer[6];
        int refSize = trailer[7];
        ulong objectCount = BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
        ulong top = BinaryPrimitives.ReadUInt64BigEndian(trailer[16..]);
        ulong tableOffset = BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);

        if (offsetSize is < 1 or > 8) throw Fail(t + 6, $"offset size {offsetSize} is not 1-8");
        if (refSize is < 1 or > 8) throw Fail(t + 7, $"object reference size {refSize} is not 1-8");
        if (objectCount == 0) throw Fail(t + 8, "object count is 0");
        if (objectCount > (ulong)options.MaxObjects) throw Fail(t + 8, $"object count {objectCount} exceeds the limit of {options.MaxObjects}");
        if (top >= objectCount) throw Fail(t + 16, $"top object {top} is not below the object count {objectCount}");
        if (tableOffset < HeaderLength || tableOffset >= (ulong)t) throw Fail(t + 24, $"offset table at {tableOffset} is outside the object area {HeaderLength}-{t}");
        if ((ulong)t - tableOffset < objectCount * (ulong)offsetSize)
        {
            throw Fail(t + 24, $"offset table of {objectCount} x {offsetSize} bytes at {tableOffset} overruns the trailer at {t}");
        }

        var reader = new BinaryPlistReader(bytes.ToArray(), options, offsetSize, refSize, (int)objectCount, (int)tableOffset);
        return reader.ReadObject((int)top, t + 16);
    }

    private static PlistException Fail(long offset, string reason) =>
        new(PlistFormat.Binary, $"offset 0x{offset:x}", reason);

    private int ObjectOffset(int index)
    {
        int at = _offsetTable + (index * _offsetSize);
        ulong offset = ReadUnsigned(at, _offsetSize);
        if (offset < HeaderLength || offset >= (ulong)_offsetTable)
        {
            throw Fail(at, $"object {index} has offset {offset}, outside the object area {HeaderLength}-{_offsetTable}");
        }

        return (int)offset;
    }

    private ulong ReadUnsigned(int at, int size)
    {
        ulong v = 0;
        for (int i = 0; i < size; i++) v = (v << 8) | _data[at + i];
        return v;
    }

    /// <summary>Parses object <paramref name="index"/>; <paramref name="refAt"/> is where the reference was read, for errors.</summary>
    private PlistValue ReadObject(int index, long refAt)
    {
        if (_parsed[index] is { } done) return done;
        if (_inProgress[index]) throw Fail(refAt, $"object {index} refers back to itself (cycle)");
        if (_depth >= _options.MaxDepth) throw Fail(refAt, $"nesting deeper than {_options.MaxDepth}");

        _inProgress[index] = true;
        _depth++;
        try
        {
            var value = Parse(ObjectOffset(index), index);
            _parsed[index] = value;
            return value;
        }
        finally
        {
            _depth--;
            _inProgress[index] = false;
        }
    }

    private PlistValue Parse(int at, int index)
    {
        byte marker = _data[at];
        int high = marker >> 4;
        int low = marker & 0x0F;
        switch (high)
        {
            case 0x0 when marker == 0x08: return PlistBoolean.False;
            case 0x0 when marker == 0x09: return PlistBoolean.True;
            case 0x1: return ParseInteger(at, low);
            case 0x2: return ParseReal(at, low);
            case 0x3 when marker == 0x33:
                Need(at + 1, 8, "date");
                return new PlistDate(ToDate(BinaryPrimitives.ReadDoubleBigEndian(_data.AsSpan(at + 1)), at));
            case 0x4:
            {
                var (start, count) = Length(at, low, 1, "data");
                return new PlistData(ImmutableArray.Create(_data, start, count));
            }
            case 0x5:
            {
                var (start, count) = Length(at, low, 1, "ASCII string");
                return new PlistString(DecodeAscii(start, count));
            }
            case 0x6:
            {
                var (start, count) = Length(at, low, 2, "UTF-16 string");
                return new PlistString(DecodeUtf16(start, count));
            }
            case 0x7:
            {
                var (start, count) = Length(at, low, 1, "UTF-8 string");
                return new PlistString(DecodeUtf8(start, count));
            }
            case 0x8:
                Need(at + 1, low + 1, "uid");
                if (low + 1 > 8) throw Fail(at, $"uid of {low + 1} bytes is larger than 8");
                return new PlistUid(ReadUnsigned(at + 1, low + 1));
            case 0xA:
            case 0xC: // a set is read as an array; plists in the wild never use it
            {
                var (start, count) = Length(at, low, _refSize, high == 0xA ? "array" : "set");
                var items = ImmutableArray.CreateBuilder<PlistValue>(count);
                for (int i = 0; i < count; i++) items.Add(ReadRef(start + (i * _refSize)));
                return new PlistArray(items.MoveToImmutable());
            }
            case 0xD:
                return ParseDict(at, low);
            default:
                throw Fail(at, $"unknown object marker 0x{marker:x2} for object {index}");
        }
    }

    private PlistDictionary ParseDict(int at, int low)
    {
        var (start, count) = Length(at, low, _refSize * 2, "dict");
        var dict = ImmutableDictionary.CreateBuilder<string, PlistValue>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int keyAt = start + (i * _refSize);
            if (ReadRef(keyAt) is not PlistString key)
            {
                throw Fail(keyAt, $"dict key {i} is not a string");
            }

            int valueAt = start + ((count + i) * _refSize);
            if (dict.ContainsKey(key.Value)) throw Fail(keyAt, $"duplicate dict key \"{key.Value}\"");
            dict[key.Value] = ReadRef(valueAt);
        }

        return new PlistDictionary(dict.ToImmutable());
    }

    private PlistValue ReadRef(int at)
    {
        ulong r = ReadUnsigned(at, _refSize);
        if (r >= (ulong)_objectCount) throw Fail(at, $"object reference {r} is not below the object count {_objectCount}");
        return ReadObject((int)r, at);
    }

    private PlistInteger ParseInteger(int at, int low)
    {
        if (low > 4) throw Fail(at, $"integer of 2^{low} bytes is not supported");
        int size = 1 << low;
        Need(at + 1, size, "integer");
        var span = _data.AsSpan(at + 1, size);
        return size switch
        {
            // 1, 2 and 4-byte integers are unsigned; 8-byte ones are signed (CoreFoundation's convention).
            1 or 2 or 4 => new PlistInteger((long)ReadUnsigned(at + 1, size)),
            8 => new PlistInteger(BinaryPrimitives.ReadInt64BigEndian(span)),
            _ => new PlistInteger(Narrow(BinaryPrimitives.ReadInt128BigEndian(span), at)),
        };
    }

    private static long Narrow(Int128 v, int at) =>
        v >= long.MinValue && v <= long.MaxValue ? (long)v : throw Fail(at, $"integer {v} does not fit in 64 bits");

    private PlistReal ParseReal(int at, int low)
    {
        if (low is not (2 or 3)) throw Fail(at, $"real of 2^{low} bytes is not supported (only 4 or 8)");
        int size = 1 << low;
        Need(at + 1, size, "real");
        var span = _data.AsSpan(at + 1, size);
        return new PlistReal(size == 4 ? BinaryPrimitives.ReadSingleBigEndian(span) : BinaryPrimitives.ReadDoubleBigEndian(span));
    }

    private static DateTimeOffset ToDate(double seconds, int at)
    {
        // DateTimeOffset covers years 1-9999; anything outside is not a date a plist tool would write.
        const double min = -63113904000.0, max = 252423993599.0;
        if (double.IsNaN(seconds) || seconds < min || seconds > max) throw Fail(at, $"date {seconds} s from 2001 is out of range");
        return Epoch2001.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>Reads the count (inline nibble or a following int object) and checks the payload lies before the offset table.</summary>
    private (int Start, int Count) Length(int at, int low, int unit, string what)
    {
        long count = low;
        int start = at + 1;
        if (low == 0x0F)
        {
            if (start >= _offsetTable) throw Fail(at, $"{what} length marker runs into the offset table");
            byte m = _data[start];
            if (m >> 4 != 0x1 || (m & 0x0F) > 3) throw Fail(start, $"{what} length is not an integer object (marker 0x{m:x2})");
            int size = 1 << (m & 0x0F);
            Need(start + 1, size, $"{what} length");
            count = size == 8 ? BinaryPrimitives.ReadInt64BigEndian(_data.AsSpan(start + 1)) : (long)ReadUnsigned(start + 1, size);
            if (count < 0) throw Fail(start, $"{what} length {count} is negative");
            start += 1 + size;
        }

        if (count > int.MaxValue / unit) throw Fail(at, $"{what} length {count} is too large");
        Need(start, (int)(count * unit), what);
        return (start, (int)count);
    }

    private void Need(int start, int length, string what)
    {
        if ((long)start + length > _offsetTable)
        {
            throw Fail(start, $"{what} of {length} bytes at {start} overruns the offset table at {_offsetTable}");
        }
    }

    private string DecodeAscii(int start, int count)
    {
        var span = _data.AsSpan(start, count);
        int bad = span.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        if (bad >= 0) throw Fail(start + bad, $"byte 0x{span[bad]:x2} in an ASCII string");
        return Encoding.ASCII.GetString(span);
    }

    private static readonly Encoding StrictUtf16 = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    private string DecodeUtf16(int start, int chars) => Decode(StrictUtf16, start, chars * 2, "UTF-16BE");

    private string DecodeUtf8(int start, int count) => Decode(StrictUtf8, start, count, "UTF-8");

    private string Decode(Encoding encoding, int start, int count, string name)
    {
        try
        {
            return encoding.GetString(_data, start, count);
        }
        catch (DecoderFallbackException e)
        {
            throw new PlistException(PlistFormat.Binary, $"offset 0x{start + Math.Max(e.Index, 0):x}", $"invalid {name} string", e);
        }
    }
}

namespace CoreConsole.NetBoot.Plist;

/// <summary>Reads a property list from bytes, choosing the binary or XML reader by sniffing the header.</summary>
public static class PlistReader
{
    private static ReadOnlySpan<byte> BinaryMagic => "bplist"u8;

    /// <summary>Parses XML or <c>bplist00</c> bytes. Throws only <see cref="PlistException"/> for bad input.</summary>
    public static PlistValue Read(ReadOnlySpan<byte> bytes, PlistReaderOptions? options = null)
    {
        options ??= PlistReaderOptions.Default;
        if (bytes.Length > options.MaxInputBytes)
        {
            throw new PlistException(PlistFormat.Unknown, "offset 0", $"input is {bytes.Length} bytes, limit is {options.MaxInputBytes}");
        }

        return IsBinary(bytes)
            ? BinaryPlistReader.Read(bytes, options)
            : XmlPlistReader.Read(bytes, options);
    }

    /// <summary>Reads a whole file; I/O errors propagate as the usual <see cref="IOException"/> family.</summary>
    public static PlistValue ReadFile(string path, PlistReaderOptions? options = null) =>
        Read(File.ReadAllBytes(path), options);

    /// <summary>True when the bytes start with the binary plist magic "bplist".</summary>
    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith(BinaryMagic);
}

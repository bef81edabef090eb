namespace CoreConsole.NetBoot.Plist;

/// <summary>Which encoding a plist was being read as when it failed.</summary>
public enum PlistFormat { Unknown, Xml, Binary }

/// <summary>
/// The only exception the plist readers throw for bad input. <see cref="Position"/> says where: a byte offset for
/// binary plists, "line L, column C" for XML.
/// </summary>
public sealed class PlistException : FormatException
{
    public PlistException(PlistFormat format, string position, string reason, Exception? inner = null)
        : base($"{Describe(format)} plist, {position}: {reason}", inner)
    {
        Format = format;
        Position = position;
        Reason = reason;
    }

    public PlistFormat Format { get; }

    /// <summary>Human-readable location, e.g. "offset 0x1a" or "line 3, column 5".</summary>
    public string Position { get; }

    /// <summary>The message without the format/position prefix.</summary>
    public string Reason { get; }

    private static string Describe(PlistFormat f) => f switch
    {
        PlistFormat.Xml => "XML",
        PlistFormat.Binary => "Binary",
        _ => "Unrecognised",
    };
}

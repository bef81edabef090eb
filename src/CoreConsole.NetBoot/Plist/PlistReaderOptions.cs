namespace CoreConsole.NetBoot.Plist;

/// <summary>Resource limits, so a hostile file cannot exhaust memory or the stack.</summary>
public sealed record PlistReaderOptions
{
    public static readonly PlistReaderOptions Default = new();

    /// <summary>Largest input accepted, in bytes. NBImageInfo files are a few KB.</summary>
    public int MaxInputBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of arrays/dicts.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most objects a binary plist may declare, and most values an XML plist may contain.</summary>
    public int MaxObjects { get; init; } = 1_000_000;
}

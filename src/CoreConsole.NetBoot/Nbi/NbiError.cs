namespace CoreConsole.NetBoot.Nbi;

/// <summary>What is wrong with an NBI; lets the console group and explain problems without parsing messages.</summary>
public enum NbiErrorKind
{
    PlistUnreadable,
    PlistMissing,
    PlistNotAtRoot,
    MissingKey,
    WrongType,
    BadValue,
    IndexOutOfRange,
    DuplicateBootImageId,
    BootFileMissing,
    BootFilePathTooLong,
    RootPathUnusable,
    RootPathTooLong,
    RootPathFileMissing,
}

/// <summary>One precise problem with one NBI. <see cref="Key"/> names the plist key when there is one.</summary>
public sealed record NbiError(NbiErrorKind Kind, string Message, string? Key = null)
{
    public override string ToString() => Key is null ? $"{Kind}: {Message}" : $"{Kind} ({Key}): {Message}";
}

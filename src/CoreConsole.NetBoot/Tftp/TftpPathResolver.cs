namespace CoreConsole.NetBoot.Tftp;

/// <summary>Outcome of mapping a requested file name onto the served directory.</summary>
internal readonly record struct TftpResolution(string? FullPath, TftpErrorCode Error, string Message)
{
    public static TftpResolution Ok(string path) => new(path, TftpErrorCode.NotDefined, "");

    public static TftpResolution Refuse(TftpErrorCode code, string message) => new(null, code, message);
}

/// <summary>
/// Maps TFTP file names onto the root with chroot semantics: a leading <c>/</c> means the TFTP root (as with
/// tftp-hpa <c>-s</c>), <c>..</c> segments are refused outright, and the final path is resolved through every
/// symlink and must still lie under the root's own real path.
/// </summary>
internal sealed class TftpPathResolver
{
    private const int MaxLinkHops = 40;
    private readonly string _realRoot;
    private readonly string[] _absolutePrefixes;

    public TftpPathResolver(string rootDirectory)
    {
        string configured = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _realRoot = Path.TrimEndingDirectorySeparator(RealPath(configured));
        // Both spellings of the root (configured and symlink-resolved, e.g. /tmp vs /private/tmp) count as "the root".
        _absolutePrefixes = new[] { configured, _realRoot }.Select(p => p.Replace('\\', '/').TrimEnd('/') + "/").Distinct().ToArray();
    }

    public string RealRoot => _realRoot;

    public TftpResolution Resolve(string requested)
    {
        // Backslashes and drive letters would be path syntax on Windows; refuse them everywhere for one behaviour.
        if (requested.Contains('\\') || requested.Contains(':'))
        {
            return TftpResolution.Refuse(TftpErrorCode.AccessViolation, "backslashes and colons are not allowed in file names");
        }

        // Firmware often sends the absolute path it was given (e.g. /private/tftpboot/...): accept it when it names the root.
        string relative = _absolutePrefixes.FirstOrDefault(p => requested.StartsWith(p, StringComparison.Ordinal)) is { } prefix
            ? requested[prefix.Length..]
            : requested;

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Contains("..")) return TftpResolution.Refuse(TftpErrorCode.AccessViolation, "\"..\" is not allowed in file names");
        if (segments.Length == 0) return TftpResolution.Refuse(TftpErrorCode.FileNotFound, "no file name");

        string real;
        try
        {
            real = RealPath(Path.Combine([_realRoot, .. segments]));
        }
        catch (IOException e)
        {
            return TftpResolution.Refuse(TftpErrorCode.AccessViolation, $"cannot resolve path: {e.Message}");
        }

        if (!IsUnderRoot(real)) return TftpResolution.Refuse(TftpErrorCode.AccessViolation, "path leaves the TFTP root");
        if (Directory.Exists(real)) return TftpResolution.Refuse(TftpErrorCode.FileNotFound, "is a directory");
        if (!File.Exists(real)) return TftpResolution.Refuse(TftpErrorCode.FileNotFound, "file not found");
        return TftpResolution.Ok(real);
    }

    private bool IsUnderRoot(string real)
    {
        var cmp = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return real.StartsWith(_realRoot + Path.DirectorySeparatorChar, cmp);
    }

    /// <summary>
    /// The path with every symlink in every component resolved (like POSIX realpath). Components that do not
    /// exist are appended unchanged, so a missing file still resolves to a checkable location.
    /// </summary>
    internal static string RealPath(string absolute)
    {
        int hops = 0;
        return Walk(Path.GetFullPath(absolute), ref hops);
    }

    private static string Walk(string absolute, ref int hops)
    {
        string root = Path.GetPathRoot(absolute)!;
        var parts = absolute[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        string current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string candidate = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops) throw new IOException($"too many levels of symbolic links at {candidate}");
                string resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                current = Walk(Path.GetFullPath(resolved), ref hops);
            }
            else if (!info.Exists)
            {
                return Path.Combine([current, .. parts[i..]]);
            }
            else
            {
                current = candidate;
            }
        }

        return current;
    }
}

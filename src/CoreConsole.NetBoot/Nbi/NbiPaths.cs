using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>
/// The firmware-facing limits on boot file and root paths (BSDP.md §8, field case 20): the BOOTP <c>file</c> field
/// holds fewer than 128 bytes, option 17 at most 255, and EFI does no DNS, so URLs must carry IPv4 literals.
/// </summary>
public static class NbiPaths
{
    /// <summary>The BOOTP <c>file</c> field is 128 bytes including its NUL terminator.</summary>
    public const int MaxBootFilePathBytes = 127;

    /// <summary>Option 17 is a single DHCP option: at most 255 bytes.</summary>
    public const int MaxRootPathBytes = 255;

    /// <summary>True for a RootPath that is a full URL (http or nfs) rather than a file inside the .nbi folder.</summary>
    public static bool IsIndirect(string rootPath) =>
        rootPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        rootPath.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        rootPath.StartsWith("nfs:", StringComparison.OrdinalIgnoreCase);

    public static int ByteLength(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>
    /// Why the firmware could not use this full root path URL, or null if it can. Checks scheme, an IPv4 literal
    /// host, and the 255-byte option limit.
    /// </summary>
    public static string? ExplainUnusableRootUrl(string url)
    {
        if (ByteLength(url) > MaxRootPathBytes)
        {
            return $"root path is {ByteLength(url)} bytes; option 17 holds at most {MaxRootPathBytes}";
        }

        if (url.StartsWith("nfs:", StringComparison.OrdinalIgnoreCase))
        {
            // nfs:<ip>:<exported dir>:<image path>
            var parts = url[4..].Split(':', 3);
            if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            {
                return $"\"{url}\" is not of the form nfs:<ip>:<export>:<image path>";
            }

            return IsIPv4Literal(parts[0]) ? null : $"NFS server \"{parts[0]}\" is not an IPv4 literal; EFI NetBoot does no DNS lookup";
        }

        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return "https is not supported by NetBoot firmware; use http";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"\"{url}\" is not an absolute http URL";
        }

        return uri.HostNameType == UriHostNameType.IPv4
            ? null
            : $"host \"{uri.Host}\" is not an IPv4 literal; EFI NetBoot does no DNS lookup";
    }

    public static bool IsIPv4Literal(string host) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork &&
        host.Count(c => c == '.') == 3;

    /// <summary>URL-escapes each segment of a relative path, keeping the slashes.</summary>
    public static string EscapePath(string relative) =>
        string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    /// <summary>
    /// True when a path from a plist stays inside its folder: relative, no <c>..</c>/<c>.</c>/empty segments,
    /// no backslashes or NULs (a Mac would treat a backslash as a file-name character; we refuse the ambiguity).
    /// </summary>
    public static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\') && !path.Contains('\0') &&
        path.Split('/').All(seg => seg.Length > 0 && seg != "." && seg != "..");
}

using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>One entry of an HTTP directory listing. <see cref="Name"/> is decoded (no %-escapes).</summary>
public sealed record HttpDirectoryEntry(string Name, bool IsDirectory, Uri Url);

/// <summary>
/// Extracts the entries of an auto-generated HTTP directory listing (nginx autoindex, Apache mod_autoindex, IIS
/// directory browsing) so the console can browse a share for .nbi folders. Rather than recognising each server's
/// layout, it keeps every link that resolves to a direct child of the listed directory on the same site; that
/// drops parent links, sort links (<c>?C=N;O=D</c>), icons, and links elsewhere, whatever the markup looks like.
/// </summary>
public static partial class HttpDirectoryListing
{
    [GeneratedRegex("""<a\s[^>]*?href\s*=\s*(?:"(?<h>[^"]*)"|'(?<h>[^']*)'|(?<h>[^\s>]+))""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnchorHref();

    /// <param name="html">The page as text (BOM and CRLF line endings are fine).</param>
    /// <param name="pageUrl">The URL the page was fetched from; links are resolved against it.</param>
    public static ImmutableArray<HttpDirectoryEntry> Parse(string html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (!pageUrl.IsAbsoluteUri) throw new ArgumentException("the page URL must be absolute", nameof(pageUrl));

        // A listing's URL names a directory; without the trailing slash relative links would resolve one level up.
        var directory = pageUrl.AbsolutePath.EndsWith('/') ? pageUrl : new UriBuilder(pageUrl) { Path = pageUrl.AbsolutePath + "/", Query = "" }.Uri;
        string dirPath = directory.AbsolutePath;

        var entries = ImmutableArray.CreateBuilder<HttpDirectoryEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in AnchorHref().Matches(html))
        {
            string href = WebUtility.HtmlDecode(m.Groups["h"].Value).Trim();
            if (href.Length == 0 || href.StartsWith('#') || href.Contains('?')) continue;
            if (!Uri.TryCreate(directory, href, out var target)) continue;
            if (!SameSite(directory, target)) continue;

            string path = target.AbsolutePath;
            if (!path.StartsWith(dirPath, StringComparison.Ordinal) || path.Length == dirPath.Length) continue;

            string rest = path[dirPath.Length..];
            bool isDir = rest.EndsWith('/');
            string segment = isDir ? rest[..^1] : rest;
            if (segment.Length == 0 || segment.Contains('/')) continue; // not a direct child

            string name = Uri.UnescapeDataString(segment);
            if (name is "." or "..") continue;
            if (seen.Add(segment)) entries.Add(new HttpDirectoryEntry(name, isDir, new Uri(directory, segment + (isDir ? "/" : ""))));
        }

        return entries.ToImmutable();
    }

    private static bool SameSite(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}

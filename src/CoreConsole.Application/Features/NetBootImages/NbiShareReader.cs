using System.Net;
using System.Net.Http.Headers;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>One .nbi folder as found on the share: its parsed plist, or why it cannot be used.</summary>
public sealed record BrowsedNbi(string FolderName, Uri FolderUrl, NbiImageInfo? Info, byte[]? PlistBytes, IReadOnlyList<string> Problems)
{
    public bool IsUsable => Info is not null && Problems.Count == 0;
}

/// <summary>The share's listing: either a whole-share failure (<see cref="Error"/>) or the .nbi folders it lists.</summary>
public sealed record ShareListing(Uri ShareUrl, string? Error, IReadOnlyList<BrowsedNbi> Folders);

/// <summary>
/// Reads an HTTP share the way the console browses it: the directory listing (ours, IIS, nginx or Apache auto-index)
/// → the <c>.nbi</c> folders in it → each folder's NBImageInfo.plist (XML or binary). Every failure becomes a sentence
/// an administrator can act on; nothing here throws for bad input.
/// </summary>
public sealed class NbiShareReader(IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "NbiShare";
    private const int MaxListingBytes = 4 * 1024 * 1024;
    private const int MaxPlistBytes = 1024 * 1024;

    public static Uri AsDirectory(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/", Query = "" }.Uri;

    public async Task<ShareListing> ReadAsync(Uri shareUrl, CancellationToken ct)
    {
        shareUrl = AsDirectory(shareUrl);
        using var http = httpFactory.CreateClient(HttpClientName);
        var (page, error) = await GetTextAsync(http, shareUrl, MaxListingBytes, ct);
        if (page is null) return new ShareListing(shareUrl, $"The share at {shareUrl} {error}", []);
        if (!page.IsHtml)
            return new ShareListing(shareUrl, $"The share at {shareUrl} answered {page.ContentType ?? "no content type"}, not an HTML directory listing.", []);

        var entries = HttpDirectoryListing.Parse(page.Text, page.FinalUrl);
        if (entries.IsEmpty)
            return new ShareListing(shareUrl, $"The share at {shareUrl} answered an HTML page that is not a directory listing (it links to no files or folders inside it). Is directory browsing enabled?", []);

        var folders = entries.Where(e => e.IsDirectory && e.Name.EndsWith(".nbi", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (folders.Count == 0)
            return new ShareListing(shareUrl, $"The share at {shareUrl} lists {entries.Length} entries but no .nbi folders.", []);

        var results = new BrowsedNbi[folders.Count];
        await Parallel.ForAsync(0, folders.Count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (i, token) => results[i] = await ReadFolderAsync(http, folders[i].Name, folders[i].Url, token));
        MarkDuplicateIds(results);
        return new ShareListing(shareUrl, null, results);
    }

    private static async Task<BrowsedNbi> ReadFolderAsync(HttpClient http, string name, Uri folderUrl, CancellationToken ct)
    {
        var plistUrl = new Uri(folderUrl, NbiScanner.PlistName);
        var (file, error) = await GetBytesAsync(http, plistUrl, MaxPlistBytes, ct);
        if (file is null) return new BrowsedNbi(name, folderUrl, null, null, [$"{NbiScanner.PlistName} {error}"]);

        var parsed = NbiImageInfoParser.Parse(file);
        if (parsed.Info is not { } info)
            return new BrowsedNbi(name, folderUrl, null, file, [.. parsed.Errors.Select(e => $"{NbiScanner.PlistName}: {Describe(e)}")]);
        return new BrowsedNbi(name, folderUrl, info, file, []);
    }

    private static string Describe(NbiError e) => e.Key is null ? e.Message : $"{e.Key}: {e.Message}";

    /// <summary>Two folders with the same 32-bit boot image id: a Mac cannot tell them apart, so both are flagged.</summary>
    private static void MarkDuplicateIds(BrowsedNbi[] results)
    {
        var groups = results.Select((r, i) => (r, i)).Where(x => x.r.Info is not null)
            .GroupBy(x => x.r.Info!.BootImageId).Where(g => g.Count() > 1);
        foreach (var g in groups)
        foreach (var (r, i) in g)
        {
            var others = string.Join(", ", g.Where(o => o.i != i).Select(o => o.r.FolderName));
            results[i] = r with { Problems = [.. r.Problems, $"boot image id 0x{r.Info!.BootImageId:x8} (Index {r.Info.Index}) is also used by {others}; change Index in one of them"] };
        }
    }

    private sealed record TextPage(string Text, string? ContentType, bool IsHtml, Uri FinalUrl);

    private static async Task<(TextPage? Page, string? Error)> GetTextAsync(HttpClient http, Uri url, int max, CancellationToken ct)
    {
        var (bytes, error, response) = await FetchAsync(http, url, max, ct);
        if (bytes is null) return (null, error);
        var mediaType = response!.MediaType;
        var charset = response.CharSet;
        System.Text.Encoding encoding;
        try { encoding = charset is null ? System.Text.Encoding.UTF8 : System.Text.Encoding.GetEncoding(charset.Trim('"')); }
        catch (ArgumentException) { encoding = System.Text.Encoding.UTF8; }
        var text = encoding.GetString(bytes);
        bool html = mediaType is "text/html" or "application/xhtml+xml"
                    || (mediaType is null && text.AsSpan().TrimStart().StartsWith("<", StringComparison.Ordinal));
        return (new TextPage(text, mediaType, html, response.FinalUrl), null);
    }

    private static async Task<(byte[]? Bytes, string? Error)> GetBytesAsync(HttpClient http, Uri url, int max, CancellationToken ct)
    {
        var (bytes, error, _) = await FetchAsync(http, url, max, ct);
        return (bytes, error);
    }

    private sealed record FetchInfo(string? MediaType, string? CharSet, Uri FinalUrl);

    private static async Task<(byte[]? Bytes, string? Error, FetchInfo? Info)> FetchAsync(HttpClient http, Uri url, int max, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return (null, "was not found (HTTP 404).", null);
            if (!response.IsSuccessStatusCode)
                return (null, $"answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null);
            if (response.Content.Headers.ContentLength > max) return (null, $"is larger than {max / 1024} KiB.", null);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > max) return (null, $"is larger than {max / 1024} KiB.", null);
                buffer.Write(chunk, 0, n);
            }

            MediaTypeHeaderValue? type = response.Content.Headers.ContentType;
            return (buffer.ToArray(), null, new FetchInfo(type?.MediaType, type?.CharSet, response.RequestMessage?.RequestUri ?? url));
        }
        catch (HttpRequestException e)
        {
            return (null, $"did not answer: {e.Message}", null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, "did not answer in time.", null);
        }
    }
}

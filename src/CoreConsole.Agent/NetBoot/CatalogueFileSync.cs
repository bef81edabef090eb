using System.Security.Cryptography;
using CoreConsole.Contracts.Agents;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Agent.NetBoot;

/// <summary>A catalogue file that could not be synced; the message names the file and what was wrong.</summary>
public sealed class CatalogueSyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Copies a catalogue's files from the share into the local TFTP cache. A file already present with the right size (and
/// SHA-256 when the catalogue gives one) is kept; others are downloaded to a temp file, verified, then renamed into place,
/// so a reader (the TFTP server) sees the old file or the new one, never a partial one.
/// </summary>
public sealed class CatalogueFileSync(HttpClient http, Uri coreUrl, AgentCredentials credentials)
{
    private const string TempSuffix = ".partial";
    /// <summary>Upper bound for a file whose size the catalogue does not give (booters and kernel caches are far smaller).</summary>
    public const long MaxUnsizedFileBytes = 1L << 30;
    /// <summary>Progress weight of a file of unknown size.</summary>
    private const long UnsizedWeight = 1L << 20;

    /// <summary>Syncs every file; reports progress 0–1 by bytes. Returns the local paths (relative, '/'-separated) now in use.</summary>
    public async Task<IReadOnlySet<string>> SyncAsync(IEnumerable<CatalogueFile> files, string root, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, CatalogueFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var local = file.LocalPath.TrimStart('/');
            if (!NbiPaths.IsSafeRelativePath(local) || local.EndsWith(TempSuffix, StringComparison.Ordinal))
                throw new CatalogueSyncException($"local path \"{file.LocalPath}\" is not a plain relative path under the cache");
            if (file.Size is < 0) throw new CatalogueSyncException($"{local}: size {file.Size} is negative");
            if (wanted.TryGetValue(local, out var other) && other != file with { LocalPath = other.LocalPath })
                throw new CatalogueSyncException($"{local} is listed twice with different sources");
            wanted[local] = file;
        }

        Directory.CreateDirectory(root);
        long total = Math.Max(1, wanted.Values.Sum(Weight)), done = 0;
        progress?.Report(0);
        foreach (var (local, file) in wanted)
        {
            var destination = Path.Combine(root, local);
            if (!await IsCurrentAsync(destination, file, cancellationToken).ConfigureAwait(false))
            {
                long before = done;
                await DownloadAsync(file, local, destination, bytes => progress?.Report(Math.Min(1, (double)(before + bytes) / total)), cancellationToken).ConfigureAwait(false);
            }
            done += Weight(file);
            progress?.Report(Math.Min(1, (double)done / total));
        }
        progress?.Report(1);
        return wanted.Keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Deletes files under <paramref name="root"/> that no catalogue uses any more (and left-over partial downloads).</summary>
    public static void RemoveUnused(string root, IReadOnlySet<string> inUse)
    {
        if (!Directory.Exists(root)) return;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (inUse.Contains(relative)) continue;
            try { File.Delete(path); } // a running TFTP transfer keeps its open handle on Unix; on Windows the delete waits for the next sync
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        foreach (var directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            try { if (!Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static long Weight(CatalogueFile file) => file.Size ?? UnsizedWeight;

    /// <summary>A cached file is kept only when the catalogue says what it must be (size, and SHA-256 when given).</summary>
    private static async Task<bool> IsCurrentAsync(string path, CatalogueFile file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (file.Size is not { } size || !info.Exists || info.Length != size) return false;
        if (file.Sha256 is null) return true;
        await using var stream = info.OpenRead();
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexString(hash).Equals(file.Sha256, StringComparison.OrdinalIgnoreCase);
    }

    private async Task DownloadAsync(CatalogueFile file, string local, string destination, Action<long> onBytes, CancellationToken cancellationToken)
    {
        var url = new Uri(coreUrl, file.Url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // Only the core gets the agent's credentials; a share elsewhere must not see them.
        if (Uri.Compare(url, coreUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            request.Headers.TryAddWithoutValidation("Authorization", credentials.AuthorizationHeader);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CatalogueSyncException($"{local}: GET {url} failed: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw new CatalogueSyncException($"{local}: GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            // Unsized: the share's Content-Length is the expectation, else only the upper bound holds.
            long? expected = file.Size ?? response.Content.Headers.ContentLength;
            long limit = expected ?? MaxUnsizedFileBytes;
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temp = destination + "." + Guid.NewGuid().ToString("N")[..8] + TempSuffix;
            try
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long received = 0;
                await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
                await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    var buffer = new byte[81920];
                    int n;
                    while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        received += n;
                        if (received > limit) throw new CatalogueSyncException($"{local}: {url} sent more than the expected {limit} bytes");
                        sha.AppendData(buffer, 0, n);
                        await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        onBytes(received);
                    }
                }
                if (expected is { } size && received != size) throw new CatalogueSyncException($"{local}: {url} sent {received} bytes, expected {size}");
                var actual = Convert.ToHexString(sha.GetHashAndReset());
                if (file.Sha256 is { } hash && !actual.Equals(hash, StringComparison.OrdinalIgnoreCase))
                    throw new CatalogueSyncException($"{local}: SHA-256 {actual.ToLowerInvariant()} does not match the catalogue's {hash.ToLowerInvariant()}");
                File.Move(temp, destination, overwrite: true);
            }
            catch (IOException e)
            {
                throw new CatalogueSyncException($"{local}: cannot write {destination}: {e.Message}", e);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}

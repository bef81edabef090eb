using System.Net;
using System.Net.Http.Headers;
using CoreConsole.Agent.NetBoot;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests.NetBoot;

/// <summary>Copying a catalogue's files into the TFTP cache, with and without the sizes the console measured.</summary>
public sealed class CatalogueFileSyncTests : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly ShareHandler _share = new();
    private static readonly Uri Core = new("http://core.test/");
    private static readonly AgentCredentials Credentials = new(Guid.NewGuid(), "secret");

    public void Dispose() => _cache.Dispose();

    private CatalogueFileSync Sync() => new(new HttpClient(_share), Core, Credentials);

    [Fact]
    public async Task A_file_the_console_has_not_measured_yet_is_fetched_to_the_shares_Content_Length()
    {
        // Published before any NBI health check: the catalogue knows where the booter is, not how big it is.
        var booter = Bytes(70_001);
        _share.Files["/vboot/NetBoot/A.nbi/i386/booter"] = booter;
        var files = new[] { new CatalogueFile("http://core.test/vboot/NetBoot/A.nbi/i386/booter", "A.nbi/i386/booter", null) };

        var progress = new List<double>();
        var inUse = await Sync().SyncAsync(files, _cache.Path, new Recorder(progress), TestContext.Current.CancellationToken);

        inUse.ShouldBe(["A.nbi/i386/booter"]);
        (await File.ReadAllBytesAsync(Path.Combine(_cache.Path, "A.nbi/i386/booter"), TestContext.Current.CancellationToken)).ShouldBe(booter);
        progress.Last().ShouldBe(1);

        // With no size to check the cached copy against, the next sync fetches it again rather than trust it.
        await Sync().SyncAsync(files, _cache.Path, null, TestContext.Current.CancellationToken);
        _share.Requests.ShouldBe(2);
    }

    [Fact]
    public async Task A_measured_file_is_kept_when_the_cache_has_it_and_refused_when_the_share_sends_another_size()
    {
        var booter = Bytes(4_096);
        _share.Files["/b"] = booter;
        var sized = new CatalogueFile("http://core.test/b", "B.nbi/i386/booter", booter.Length);
        await Sync().SyncAsync([sized], _cache.Path, null, TestContext.Current.CancellationToken);
        await Sync().SyncAsync([sized], _cache.Path, null, TestContext.Current.CancellationToken);
        _share.Requests.ShouldBe(1, "the cached copy has the catalogue's size");

        var wrong = sized with { LocalPath = "C.nbi/i386/booter", Size = booter.Length - 1 };
        var error = await Should.ThrowAsync<CatalogueSyncException>(() => Sync().SyncAsync([wrong], _cache.Path, null, TestContext.Current.CancellationToken));
        error.Message.ShouldContain($"sent more than the expected {booter.Length - 1} bytes");
        File.Exists(Path.Combine(_cache.Path, "C.nbi/i386/booter")).ShouldBeFalse("nothing partial is left in the TFTP root");
    }

    [Fact]
    public void A_failed_sync_is_retried_after_a_doubling_delay_of_at_most_a_minute()
    {
        Enumerable.Range(1, 8).Select(n => NetBootRepresentativeService.SyncRetryDelay(n).TotalSeconds)
            .ShouldBe([2, 4, 8, 16, 32, 60, 60, 60]);
    }

    private static byte[] Bytes(int n)
    {
        var bytes = new byte[n];
        new Random(n).NextBytes(bytes);
        return bytes;
    }

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }

    /// <summary>A share answering GETs from a dictionary, with Content-Length like any web server.</summary>
    private sealed class ShareHandler : HttpMessageHandler
    {
        public Dictionary<string, byte[]> Files { get; } = [];
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            if (!Files.TryGetValue(request.RequestUri!.AbsolutePath, out var bytes)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}

using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.NetBootImages;
using CoreConsole.NetBoot.Nbi;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>Browse: our own share and recorded IIS / nginx / Apache auto-index pages, and every way a share can be wrong.</summary>
public sealed class ShareBrowsingTests : IAsyncLifetime
{
    private readonly NetBootAppFactory _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task<Result<ShareBrowseResult>> BrowseAsync(string url) => _app.SendAsync(new BrowseShareCommand(url));

    [Fact]
    public async Task Browsing_our_share_reads_every_fixture_plist_and_explains_each_unusable_folder()
    {
        var result = await BrowseAsync(_app.ShareUrl);
        result.IsSuccess.ShouldBeTrue(result.Error?.Message);
        var folders = result.Value.Folders.ToDictionary(f => f.FolderName);
        folders.Count.ShouldBe(7);

        folders[TestShare.DeployStudio].Problems.ShouldBeEmpty();
        folders[TestShare.DeployStudio].Index.ShouldBe(1082);
        folders[TestShare.NetRestore].Problems.ShouldBeEmpty();
        folders[TestShare.NetRestore].Name.ShouldBe("NetRestore-10.5.8");

        // DeployStudio seeds have no Index and no Name: precise, per key.
        var template = folders["DeployStudio-sysBuilder-10.12-template.nbi"];
        template.ImageId.ShouldBeNull();
        template.Problems.ShouldContain(p => p.Contains("Index") && p.Contains("missing", StringComparison.OrdinalIgnoreCase));
        template.Problems.ShouldContain(p => p.Contains("Name"));

        // Three AutoCasper seeds share Index 42000 (same 32-bit id) and are disabled.
        foreach (var auto in folders.Values.Where(f => f.FolderName.StartsWith("AutoCasper", StringComparison.Ordinal)))
        {
            auto.IsEnabled.ShouldBeFalse();
            auto.Problems.ShouldContain(p => p.Contains("0x8100a410") && p.Contains("also used by"));
        }

        var images = await _app.QueryAsync(new ListNetBootImagesQuery(_app.ShareUrl));
        images.Count.ShouldBe(5); // the two templates have no image to store
        images.Single(i => i.FolderName == TestShare.DeployStudio).Unusable.ShouldBeNull();
        images.Single(i => i.FolderName == "AutoCasperNBI-template.nbi").Unusable!.ShouldContain("disabled");
    }

    [Fact]
    public async Task A_folder_that_disappears_from_the_share_is_marked_missing_not_deleted()
    {
        (await BrowseAsync(_app.ShareUrl)).IsSuccess.ShouldBeTrue();
        Directory.Delete(Path.Combine(_app.ShareRoot, TestShare.NetRestore), recursive: true);
        var again = await BrowseAsync(_app.ShareUrl);
        again.Value.NowMissing.ShouldBe(1);
        var images = await _app.QueryAsync(new ListNetBootImagesQuery(_app.ShareUrl));
        images.Single(i => i.FolderName == TestShare.NetRestore).IsMissing.ShouldBeTrue();
    }

    public static TheoryData<string, string, string, string[]> AutoIndexPages => new()
    {
        // fixture, where it was recorded, (recorded link → .nbi folder) pairs
        { "nginx-autoindex-rclone.html", "/atomic/fedora/", "nginx", ["deltas/", "objects/", "refs/"] },
        { "apache-mod_autoindex-rclone.html", "/nick/pub/", "apache", ["gchq-challenge/", "mandelterm/", "pymath/"] },
        { "iis-us-date-OpenDirectoryDownloader-20b.html", "/interesting_stuff/magazine/", "iis",
            ["/interesting_stuff/magazine/advertising/", "/interesting_stuff/magazine/august%202012.pdf", "/interesting_stuff/magazine/june07_lores.pdf"] },
    };

    [Theory]
    [MemberData(nameof(AutoIndexPages))]
    public async Task Recorded_auto_index_pages_of_three_server_kinds_list_their_nbi_folders(string fixture, string dir, string kind, string[] links)
    {
        // The recorded markup, with three of its directory links renamed to .nbi folders (the markup around them untouched).
        var html = await File.ReadAllTextAsync(Path.Combine(TestShare.FixturesDirectory, "autoindex", fixture), TestContext.Current.CancellationToken);
        string[] names = [TestShare.DeployStudio, TestShare.NetRestore, "Broken.nbi"];
        for (int i = 0; i < 3; i++)
        {
            var replacement = links[i].StartsWith('/') ? dir + names[i] + "/" : names[i] + "/";
            html.ShouldContain(links[i]);
            html = html.Replace($"\"{links[i]}\"", $"\"{replacement}\"", StringComparison.Ordinal);
        }

        await using var server = new FixtureWebServer()
            .Serve(dir, "text/html; charset=utf-8", html)
            .Serve(dir + TestShare.DeployStudio + "/NBImageInfo.plist", "application/octet-stream",
                await File.ReadAllBytesAsync(Path.Combine(TestShare.FixturesDirectory, "nbi", TestShare.DeployStudio, "NBImageInfo.plist"), TestContext.Current.CancellationToken))
            .Serve(dir + TestShare.NetRestore + "/NBImageInfo.plist", "text/xml",
                await File.ReadAllBytesAsync(Path.Combine(TestShare.FixturesDirectory, "nbi", TestShare.NetRestore, "NBImageInfo.plist"), TestContext.Current.CancellationToken))
            .Serve(dir + "Broken.nbi/NBImageInfo.plist", "text/xml",
                "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Index</key><string>seven</string><key>Name</key><string>Broken</string><key>Type</key><string>HTTP</string><key>BootFile</key><string>booter</string><key>RootPath</key><string>NetInstall.dmg</string></dict></plist>");
        var baseUrl = await server.StartAsync();

        var result = await BrowseAsync(new Uri(baseUrl, dir).ToString());
        result.IsSuccess.ShouldBeTrue($"{kind}: {result.Error?.Message}");
        var folders = result.Value.Folders.ToDictionary(f => f.FolderName);
        folders.Keys.Order(StringComparer.Ordinal).ShouldBe(["Broken.nbi", TestShare.DeployStudio, TestShare.NetRestore]);
        folders[TestShare.DeployStudio].Problems.ShouldBeEmpty();
        folders[TestShare.NetRestore].Problems.ShouldBeEmpty();
        folders["Broken.nbi"].Problems.ShouldHaveSingleItem().ShouldBe("NBImageInfo.plist: Index: Index is a string, expected an integer");
    }

    [Fact]
    public async Task A_share_that_does_not_answer_is_a_field_error_and_stores_nothing()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var result = await BrowseAsync($"http://127.0.0.1:{port}/vboot/NetBoot/");
        result.Error!.Kind.ShouldBe(ErrorKind.Validation);
        result.Error.FieldErrors!["ShareUrl"].ShouldHaveSingleItem().ShouldContain("did not answer");
        (await _app.DbAsync(db => db.NetBootImages.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task Html_that_is_not_a_listing_and_other_content_are_explained()
    {
        await using var server = new FixtureWebServer()
            .Serve("/welcome/", "text/html", "<html><body><h1>Welcome to nginx!</h1><a href=\"http://nginx.org/\">nginx.org</a></body></html>")
            .Serve("/json/", "application/json", "{\"files\":[]}")
            .Serve("/empty/", "text/html", "<html><body><a href=\"../\">../</a><a href=\"notes.txt\">notes.txt</a></body></html>")
            .Serve("/noplist/", "text/html", "<html><body><a href=\"Lonely.nbi/\">Lonely.nbi/</a></body></html>");
        var baseUrl = await server.StartAsync();

        (await BrowseAsync(new Uri(baseUrl, "/welcome/").ToString())).Error!.FieldErrors!["ShareUrl"][0].ShouldContain("not a directory listing");
        (await BrowseAsync(new Uri(baseUrl, "/json/").ToString())).Error!.FieldErrors!["ShareUrl"][0].ShouldContain("answered application/json, not an HTML directory listing");
        (await BrowseAsync(new Uri(baseUrl, "/empty/").ToString())).Error!.FieldErrors!["ShareUrl"][0].ShouldContain("no .nbi folders");
        (await BrowseAsync(new Uri(baseUrl, "/missing/").ToString())).Error!.FieldErrors!["ShareUrl"][0].ShouldContain("was not found (HTTP 404)");

        var noPlist = await BrowseAsync(new Uri(baseUrl, "/noplist/").ToString());
        noPlist.Value.Folders.ShouldHaveSingleItem().Problems.ShouldHaveSingleItem().ShouldBe("NBImageInfo.plist was not found (HTTP 404).");
        (await _app.DbAsync(db => db.NetBootImages.CountAsync())).ShouldBe(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://10.0.0.5/NetBoot/")]
    [InlineData("vboot/NetBoot")]
    [InlineData("http://10.0.0.5/vboot/NetBoot/?x=1")]
    public async Task Share_urls_that_are_not_absolute_http_are_refused_before_any_request(string url)
    {
        var result = await BrowseAsync(url);
        result.Error!.Kind.ShouldBe(ErrorKind.Validation);
        result.Error.FieldErrors!.ShouldContainKey("ShareUrl");
    }

    [Fact]
    public async Task A_binary_plist_is_read_like_an_xml_one()
    {
        // Serve the XML fixture converted to binary by the same reader's counterpart: plutil is not here, so build bplist00 by hand.
        var xml = await File.ReadAllBytesAsync(Path.Combine(TestShare.FixturesDirectory, "nbi", TestShare.NetRestore, "NBImageInfo.plist"), TestContext.Current.CancellationToken);
        var expected = NbiImageInfoParser.Parse(xml).Info!;
        var binary = BinaryPlistWriter.Write(new Dictionary<string, object>
        {
            ["Index"] = 45L, ["Name"] = expected.Name, ["Type"] = "NFS", ["Kind"] = 1L, ["IsInstall"] = true, ["IsEnabled"] = true,
            ["BootFile"] = "booter", ["RootPath"] = "NetInstall-Restore.dmg", ["Architectures"] = new object[] { "ppc", "i386" },
        });
        await using var server = new FixtureWebServer()
            .Serve("/share/", "text/html", "<html><body><a href=\"Bin.nbi/\">Bin.nbi/</a></body></html>")
            .Serve("/share/Bin.nbi/NBImageInfo.plist", "application/octet-stream", binary);
        var baseUrl = await server.StartAsync();

        var result = await BrowseAsync(new Uri(baseUrl, "/share/").ToString());
        var folder = result.Value.Folders.ShouldHaveSingleItem();
        folder.Problems.ShouldBeEmpty();
        folder.Index.ShouldBe(45);
        folder.Name.ShouldBe(expected.Name);
    }
}

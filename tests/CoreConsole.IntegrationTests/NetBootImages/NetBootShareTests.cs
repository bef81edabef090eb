using System.Text;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>The NBI share as Mac firmware and agents meet it: anonymous, over a real socket, checked with curl.</summary>
public sealed class NetBootShareTests : IAsyncLifetime
{
    private readonly NetBootAppFactory _app = new();
    private string Booter => Path.Combine(_app.ShareRoot, TestShare.DeployStudio, "i386", "booter");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task Head_of_an_extensionless_booter_answers_200_with_octet_stream_and_its_size_and_no_body()
    {
        var r = await Curl.RunAsync("-I", Url($"vboot/NetBoot/{TestShare.DeployStudio}/i386/booter"));
        r.Status.ShouldBe(200);
        r.Headers["Content-Type"].ShouldBe("application/octet-stream");
        r.Headers["Content-Length"].ShouldBe(new FileInfo(Booter).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        r.Headers.ShouldContainKey("Accept-Ranges");
        // curl -I writes the response head where the body would go: nothing of the booter itself may follow it.
        Encoding.ASCII.GetString(r.Body).ShouldStartWith("HTTP/1.1 200");
        r.Body.Length.ShouldBeLessThan(1024);
    }

    [Fact]
    public async Task Get_returns_the_file_byte_for_byte_without_a_login()
    {
        var r = await Curl.RunAsync(Url($"vboot/NetBoot/{TestShare.DeployStudio}/i386/x86_64/kernelcache"));
        r.Status.ShouldBe(200);
        r.Headers["Content-Type"].ShouldBe("application/octet-stream");
        r.Body.ShouldBe(await File.ReadAllBytesAsync(Path.Combine(_app.ShareRoot, TestShare.DeployStudio, "i386", "x86_64", "kernelcache"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Range_request_returns_206_with_exactly_the_requested_bytes()
    {
        var r = await Curl.RunAsync("-r", "100-199", Url($"vboot/NetBoot/{TestShare.NetRestore}/NetInstall-Restore.dmg"));
        r.Status.ShouldBe(206);
        var all = await File.ReadAllBytesAsync(Path.Combine(_app.ShareRoot, TestShare.NetRestore, "NetInstall-Restore.dmg"), TestContext.Current.CancellationToken);
        r.Body.ShouldBe(all[100..200]);
        r.Headers["Content-Range"].ShouldBe($"bytes 100-199/{all.Length}");
    }

    [Fact]
    public async Task Paths_are_case_sensitive_so_a_wrongly_cased_folder_or_prefix_is_404()
    {
        (await Curl.RunAsync(Url($"vboot/NetBoot/{TestShare.DeployStudio}/I386/booter"))).Status.ShouldBe(404);
        (await Curl.RunAsync(Url($"vboot/NetBoot/{TestShare.DeployStudio.ToLowerInvariant()}/i386/booter"))).Status.ShouldBe(404);
        (await Curl.RunAsync("-I", Url($"VBOOT/NetBoot/{TestShare.DeployStudio}/i386/booter"))).Status.ShouldBe(404);
        (await Curl.RunAsync("-I", Url($"vboot/NetBoot/{TestShare.DeployStudio}/i386/booter"))).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("vboot/NetBoot/../secret.txt")]
    [InlineData("vboot/NetBoot/../../secret.txt")]
    [InlineData("vboot/NetBoot/DeployStudio-10.8.nbi/../../secret.txt")]
    [InlineData("vboot/NetBoot/%2e%2e/%2e%2e/secret.txt")]
    [InlineData("vboot/NetBoot/..%2f..%2fsecret.txt")]
    [InlineData("vboot/NetBoot/%2e%2e%2f%2e%2e%2fsecret.txt")]
    [InlineData("vboot/NetBoot/DeployStudio-10.8.nbi/..%5c..%5c..%5csecret.txt")]
    [InlineData("vboot/NetBoot/%252e%252e/%252e%252e/secret.txt")]
    public async Task Traversal_attempts_never_reach_files_outside_the_share(string path)
    {
        // The prize sits next to the share (in the data directory, beside the database) and two levels up.
        await File.WriteAllTextAsync(Path.Combine(_app.DataDirectory, "secret.txt"), "TOP-SECRET", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_app.ShareRoot, TestShare.DeployStudio, "..", "..", "secret.txt"), "TOP-SECRET", TestContext.Current.CancellationToken);
        var r = await Curl.RunAsync(Url(path));
        r.Status.ShouldBeOneOf(400, 404);
        Encoding.ASCII.GetString(r.Body).ShouldNotContain("TOP-SECRET");
    }

    [Fact]
    public async Task Hidden_dot_files_are_not_served_or_listed()
    {
        await File.WriteAllTextAsync(Path.Combine(_app.ShareRoot, ".htpasswd"), "admin:secret", TestContext.Current.CancellationToken);
        (await Curl.RunAsync(Url("vboot/NetBoot/.htpasswd"))).Status.ShouldBe(404);
        var listing = await Curl.RunAsync(Url("vboot/NetBoot/"));
        Encoding.UTF8.GetString(listing.Body).ShouldNotContain(".htpasswd");
    }

    [Fact]
    public async Task The_share_root_is_an_html_listing_of_the_nbi_folders()
    {
        var r = await Curl.RunAsync(Url("vboot/NetBoot/"));
        r.Status.ShouldBe(200);
        r.Headers["Content-Type"].ShouldStartWith("text/html");
        var html = Encoding.UTF8.GetString(r.Body);
        html.ShouldContain(TestShare.DeployStudio);
        html.ShouldContain(TestShare.NetRestore);
    }

    [Fact]
    public async Task Uploads_and_deletes_are_refused()
    {
        var put = await Curl.RunAsync("-X", "PUT", "--data-binary", "x", Url($"vboot/NetBoot/{TestShare.DeployStudio}/i386/booter"));
        put.Status.ShouldBeOneOf(404, 405);
        var delete = await Curl.RunAsync("-X", "DELETE", Url($"vboot/NetBoot/{TestShare.DeployStudio}/i386/booter"));
        delete.Status.ShouldBeOneOf(404, 405);
        File.Exists(Booter).ShouldBeTrue();
    }
}

/// <summary>With <c>NetBoot:ShareListing=false</c> files are still served but directories are not listed.</summary>
public sealed class NetBootShareWithoutListingTests : IAsyncLifetime
{
    private readonly NetBootAppFactory _app = new(listing: false);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Listing_switched_off_gives_404_for_folders_but_files_still_download()
    {
        (await Curl.RunAsync(new Uri(_app.BaseAddress, "vboot/NetBoot/").ToString())).Status.ShouldBe(404);
        (await Curl.RunAsync("-I", new Uri(_app.BaseAddress, $"vboot/NetBoot/{TestShare.DeployStudio}/i386/booter").ToString())).Status.ShouldBe(200);
    }
}

using CoreConsole.NetBoot.Tests.TestSupport;

namespace CoreConsole.NetBoot.Tests.Tftp;

/// <summary>
/// Transfers with real TFTP clients (curl, tftp-hpa, atftp). Each test skips, never fails, when its client is not
/// installed; CI installs them.
/// </summary>
public class TftpRealClientTests
{
    private static readonly byte[] OneMegabyte = TftpTestServer.RandomBytes(1024 * 1024, seed: 22);

    private static string Require(string tool)
    {
        string? path = NbiProcess.Which(tool);
        Assert.SkipWhen(path is null, $"{tool} is not installed (apt-get install curl tftp-hpa atftp)");
        return path!;
    }

    private static Task<NbiProcess.Result> Curl(string curl, TftpTestServer t, string path, string output, params string[] extra) =>
        NbiProcess.RunAsync(curl, ["-sS", "--path-as-is", "--max-time", "30", .. extra, "-o", output, $"tftp://127.0.0.1:{t.Port}/{path}"]);

    [Theory]
    [InlineData(null)]
    [InlineData("512")]
    [InlineData("1468")]
    [InlineData("8192")]
    public async Task Curl_downloads_a_one_megabyte_booter_byte_for_byte_at_any_negotiated_block_size(string? blksize)
    {
        string curl = Require("curl");
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("Install.nbi/i386/booter", OneMegabyte);
        string output = Path.Combine(t.Downloads, "booter");
        string[] extra = blksize is null ? [] : ["--tftp-blksize", blksize];
        var r = await Curl(curl, t, "Install.nbi/i386/booter", output, extra);
        r.ExitCode.ShouldBe(0, r.StdErr);
        (await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken)).ShouldBe(OneMegabyte);
    }

    [Fact]
    public async Task Curl_accepts_a_block_size_lowered_by_the_admin_cap()
    {
        string curl = Require("curl");
        await using var t = await TftpTestServer.StartAsync(o => o with { MaxBlockSize = 1024 });
        t.AddFile("booter", OneMegabyte);
        string output = Path.Combine(t.Downloads, "booter");
        var r = await Curl(curl, t, "booter", output, "--tftp-blksize", "1468", "-v");
        r.ExitCode.ShouldBe(0, r.StdErr);
        r.StdErr.ShouldContain("blksize parsed from OACK (1024)");
        (await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken)).ShouldBe(OneMegabyte);
    }

    [Theory]
    [InlineData("missing.bin", 68)]          // curl: TFTP file not found
    [InlineData("../outside/secret", 69)]    // curl: TFTP access violation
    [InlineData("escape", 69)]               // symlink to a file outside the root
    [InlineData("/etc/passwd", 68)]          // absolute: looked up under the root, where it does not exist
    public async Task Curl_is_refused_files_that_are_missing_or_outside_the_root(string path, int curlExit)
    {
        string curl = Require("curl");
        await using var t = await TftpTestServer.StartAsync();
        File.WriteAllText(Path.Combine(t.Outside, "secret"), "secret");
        File.CreateSymbolicLink(Path.Combine(t.Root, "escape"), Path.Combine(t.Outside, "secret"));
        string output = Path.Combine(t.Downloads, "out");
        var r = await Curl(curl, t, path, output);
        r.ExitCode.ShouldBe(curlExit, r.StdErr);
        (File.Exists(output) ? await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken) : "").ShouldNotContain("secret");
    }

    [Fact]
    public async Task Curl_cannot_upload()
    {
        string curl = Require("curl");
        await using var t = await TftpTestServer.StartAsync();
        string local = Path.Combine(t.Downloads, "up.bin");
        await File.WriteAllBytesAsync(local, [1, 2, 3], TestContext.Current.CancellationToken);
        var r = await NbiProcess.RunAsync(curl, ["-sS", "--max-time", "10", "-T", local, $"tftp://127.0.0.1:{t.Port}/up.bin"]);
        r.ExitCode.ShouldBe(69, r.StdErr);
        File.Exists(Path.Combine(t.Root, "up.bin")).ShouldBeFalse();
    }

    [Fact]
    public async Task Tftp_hpa_downloads_a_one_megabyte_booter_in_binary_mode()
    {
        string tftp = Require("tftp");
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("Install.nbi/i386/booter", OneMegabyte);
        string output = Path.Combine(t.Downloads, "booter");
        var r = await NbiProcess.RunAsync(tftp, ["127.0.0.1", t.Port.ToString(), "-m", "binary", "-c", "get", "Install.nbi/i386/booter", output]);
        r.ExitCode.ShouldBe(0, r.StdOut + r.StdErr);
        (await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken)).ShouldBe(OneMegabyte);
    }

    [Theory]
    [InlineData("missing.bin", "Error code 1")]
    [InlineData("../outside/secret", "Error code 2")]
    [InlineData("escape", "Error code 2")]
    public async Task Tftp_hpa_gets_error_packets_for_missing_and_escaping_paths(string path, string expected)
    {
        string tftp = Require("tftp");
        await using var t = await TftpTestServer.StartAsync();
        File.WriteAllText(Path.Combine(t.Outside, "secret"), "secret");
        File.CreateSymbolicLink(Path.Combine(t.Root, "escape"), Path.Combine(t.Outside, "secret"));
        string output = Path.Combine(t.Downloads, "out");
        var r = await NbiProcess.RunAsync(tftp, ["127.0.0.1", t.Port.ToString(), "-m", "binary", "-c", "get", path, output]);
        (r.StdOut + r.StdErr).ShouldContain(expected);
        (File.Exists(output) ? await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken) : "").ShouldNotContain("secret");
    }

    [Fact]
    public async Task Tftp_hpa_in_ascii_mode_receives_the_text_with_its_original_line_endings()
    {
        string tftp = Require("tftp");
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("readme.txt", "line one\nline two\n"u8.ToArray());
        string output = Path.Combine(t.Downloads, "readme.txt");
        var r = await NbiProcess.RunAsync(tftp, ["127.0.0.1", t.Port.ToString(), "-m", "ascii", "-c", "get", "readme.txt", output]);
        r.ExitCode.ShouldBe(0, r.StdOut + r.StdErr);
        (await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)).ShouldBe("line one\nline two\n");
    }

    [Fact]
    public async Task Atftp_negotiates_blksize_and_tsize_and_gets_the_whole_file()
    {
        string atftp = Require("atftp");
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("Install.nbi/i386/booter", OneMegabyte);
        string output = Path.Combine(t.Downloads, "booter");
        var r = await NbiProcess.RunAsync(atftp, ["--option", "blksize 1468", "--option", "tsize 0", "--verbose", "-g", "-r", "Install.nbi/i386/booter", "-l", output, "127.0.0.1", t.Port.ToString()]);
        r.ExitCode.ShouldBe(0, r.StdOut + r.StdErr);
        (r.StdOut + r.StdErr).ShouldContain("blksize");
        (await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken)).ShouldBe(OneMegabyte);
    }

    [Fact]
    public async Task Several_clients_download_at_once_on_separate_ports()
    {
        string curl = Require("curl");
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", OneMegabyte);
        var runs = Enumerable.Range(0, 6).Select(async i =>
        {
            string output = Path.Combine(t.Downloads, $"booter{i}");
            var r = await Curl(curl, t, "booter", output, "--tftp-blksize", "1468");
            r.ExitCode.ShouldBe(0, r.StdErr);
            return await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        });
        foreach (var bytes in await Task.WhenAll(runs)) bytes.ShouldBe(OneMegabyte);
    }
}

using System.Diagnostics;
using System.Text.Json;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Agent.Tests.NetBoot;

/// <summary>
/// One <c>coreconsole-agent bsdp serve</c> process on loopback high ports, serving an NBI root built from the real
/// NBImageInfo.plist fixtures; shared by the tests of <see cref="BsdpServeCliTests"/>.
/// </summary>
public sealed class BsdpServeFixture : IAsyncLifetime
{
    internal NbiRoot Root { get; } = new();
    internal AgentProcess Server { get; private set; } = null!;
    public int BsdpPort { get; private set; }
    public int TftpPort { get; private set; }
    public string? StartupError { get; private set; }

    public const string NetRestore = "NetRestore-10.5.8";        // Index 45, ppc + i386, no model whitelist
    public const string DeployStudio = "DeployStudio-10.8";      // Index 1082, Kind 2, whitelist of 41 models incl. iMac12,1
    public const string AutoCasper = "AutoCasperNBI-10.11.1-15B42"; // Index 42000, shipped disabled: enabled here
    public const string BrokenTemplate = "DeployStudio-sysBuilder-10.12-template"; // no Index, Name, Architectures…
    public const string MissingBooter = "NetRestore-missing-booter";

    public async ValueTask InitializeAsync()
    {
        Root.AddFixture(NetRestore, booterArchs: ["ppc", "i386"], dmg: "NetInstall-Restore.dmg");
        Root.AddFixture(DeployStudio, booterArchs: ["i386"], dmg: "NetInstall.dmg");
        Root.AddFixture(AutoCasper, plist => plist.Replace("<key>IsEnabled</key>\n\t<false/>", "<key>IsEnabled</key>\n\t<true/>", StringComparison.Ordinal),
            booterArchs: ["i386"], dmg: "System.dmg");
        Root.AddFixture(BrokenTemplate);
        // A valid plist whose booter was never copied: a common packaging mistake.
        Root.AddFixture(NetRestore, plist => plist.Replace("<integer>45</integer>", "<integer>46</integer>", StringComparison.Ordinal),
            dmg: "NetInstall-Restore.dmg", folderName: MissingBooter);

        var map = Path.Combine(Root.Path, "..", Path.GetFileName(Root.Path) + "-map.json");
        await File.WriteAllTextAsync(map, """{"default": 45, "models": {"iMac12,1": 1082, "MacBookPro14,1": 42000}}""");

        BsdpPort = LoopbackPorts.FreeUdp();
        TftpPort = LoopbackPorts.FreeUdp();
        Server = AgentProcess.Start("bsdp", "serve", "--nbi-root", Root.Path, "--server-ip", "127.0.0.1",
            "--listen", $"127.0.0.1:{BsdpPort}", "--tftp-listen", $"127.0.0.1:{TftpPort}", "--model-map", map);
        await Server.WaitForLineAsync(l => l.StartsWith("TFTP listening", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "TFTP listening");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Root.Dispose();
    }
}

/// <summary><c>bsdp serve</c> answered by <c>bsdp probe</c>, both as real processes, and the booter fetched with curl.</summary>
public sealed class BsdpServeCliTests(BsdpServeFixture fixture) : IClassFixture<BsdpServeFixture>
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private async Task<(int ExitCode, JsonElement Json, string StdErr)> ProbeAsync(string model, string mac, params string[] extra)
    {
        var args = new List<string> { "bsdp", "probe", "--server", "127.0.0.1", "--port", fixture.BsdpPort.ToString(), "--model", model,
            "--mac", mac, "--bind", LoopbackPorts.NextProbeAddress().ToString(), "--json" };
        args.AddRange(extra);
        var (exit, stdout, stderr) = await AgentProcess.RunAsync(ProbeTimeout, [.. args]);
        stdout.ShouldNotBeNullOrWhiteSpace($"probe printed nothing; stderr: {stderr}");
        return (exit, JsonDocument.Parse(stdout).RootElement.Clone(), stderr);
    }

    private static uint Id(JsonElement e) => e.GetUInt32();

    [Fact]
    public void Both_listeners_report_listening_with_their_address()
    {
        fixture.Server.StdOut.ShouldContain($"BSDP listening on 127.0.0.1:{fixture.BsdpPort}");
        fixture.Server.StdOut.ShouldContain($"TFTP listening on 127.0.0.1:{fixture.TftpPort}");
    }

    [Fact]
    public async Task A_list_for_each_model_offers_the_image_the_model_map_gives_it_as_default()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);

        var imac = await ProbeAsync("iMac12,1", "02:cc:00:00:01:01");
        var mbp = await ProbeAsync("MacBookPro14,1", "02:cc:00:00:01:02");
        var air = await ProbeAsync("MacBookAir7,2", "02:cc:00:00:01:03");

        imac.ExitCode.ShouldBe(0, imac.StdErr);
        (Id(imac.Json.GetProperty("list").GetProperty("defaultImage")) & 0xFFFF).ShouldBe(1082u);
        (Id(mbp.Json.GetProperty("list").GetProperty("defaultImage")) & 0xFFFF).ShouldBe(42000u);
        (Id(air.Json.GetProperty("list").GetProperty("defaultImage")) & 0xFFFF).ShouldBe(45u, "models without an override get the map's default");

        // The DeployStudio NBI whitelists iMac12,1 but not MacBookPro14,1: the list follows EnabledSystemIdentifiers.
        Indexes(imac.Json).ShouldBe([1082, 42000, 45], ignoreOrder: true);
        Indexes(mbp.Json).ShouldBe([42000, 45], ignoreOrder: true);
        mbp.Json.GetProperty("list").GetProperty("serverIdentifier").GetString().ShouldBe("127.0.0.1");
        var names = mbp.Json.GetProperty("list").GetProperty("images").EnumerateArray().Select(i => i.GetProperty("name").GetString()).ToList();
        names.ShouldBe(["My NetInstall Image", "NetRestore-10.5.8"], ignoreOrder: true);
    }

    private static List<int> Indexes(JsonElement probe) =>
        probe.GetProperty("list").GetProperty("images").EnumerateArray().Select(i => i.GetProperty("index").GetInt32()).ToList();

    [Fact]
    public async Task A_select_returns_the_tftp_boot_file_and_http_root_path_and_the_booter_downloads_byte_for_byte()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);

        var (exit, json, stderr) = await ProbeAsync("MacBookPro14,1", "02:cc:00:00:02:01", "--select", "default");

        exit.ShouldBe(0, stderr);
        var select = json.GetProperty("select");
        select.GetProperty("outcome").GetString().ShouldBe("select");
        (Id(select.GetProperty("selectedImage")) & 0xFFFF).ShouldBe(42000u);
        var bootFile = select.GetProperty("bootFile").GetString()!;
        bootFile.ShouldBe($"{BsdpServeFixture.AutoCasper}.nbi/i386/booter");
        select.GetProperty("rootPath").GetString().ShouldBe($"http://127.0.0.1/vboot/NetBoot/{BsdpServeFixture.AutoCasper}.nbi/System.dmg");
        select.GetProperty("siaddr").GetString().ShouldBe("127.0.0.1");
        select.GetProperty("machineName").GetString()!.ShouldStartWith("NetBoot");

        Assert.SkipWhen(LoopbackPorts.Which("curl") is null, "curl is not installed; the TFTP download is checked with a real client");
        var downloaded = Path.Combine(fixture.Root.Path, "..", Guid.NewGuid().ToString("N") + ".booter");
        try
        {
            using var curl = Process.Start(new ProcessStartInfo("curl", ["-s", "--max-time", "20", "-o", downloaded, $"tftp://127.0.0.1:{fixture.TftpPort}/{bootFile}"]) { UseShellExecute = false })!;
            await curl.WaitForExitAsync(TestContext.Current.CancellationToken);
            curl.ExitCode.ShouldBe(0);
            (await File.ReadAllBytesAsync(downloaded, TestContext.Current.CancellationToken))
                .ShouldBe(await File.ReadAllBytesAsync(Path.Combine(fixture.Root.Path, bootFile), TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(downloaded);
        }
    }

    [Fact]
    public async Task A_select_of_an_image_the_model_may_not_boot_gets_ack_failed()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);

        // 0x8200043A is DeployStudio-10.8 (install, Kind 2, Index 1082); its whitelist does not name MacBookPro14,1.
        var (exit, json, _) = await ProbeAsync("MacBookPro14,1", "02:cc:00:00:03:01", "--select", "0x8200043A");

        exit.ShouldBe(3);
        json.GetProperty("select").GetProperty("outcome").GetString().ShouldBe("failed");
    }

    [Fact]
    public void Invalid_nbis_are_reported_with_their_precise_errors_while_the_valid_ones_are_served()
    {
        var output = fixture.Server.StdOut;
        var scanned = NbiScanner.Scan(fixture.Root.Path);
        var broken = scanned.Where(s => !s.IsValid).ToList();
        broken.Select(b => b.FolderName).ShouldBe([BsdpServeFixture.BrokenTemplate + ".nbi", BsdpServeFixture.MissingBooter + ".nbi"], ignoreOrder: true);
        foreach (var nbi in broken)
            foreach (var error in nbi.Errors)
                output.ShouldContain($"invalid NBI {nbi.FolderName}: {error}");
        output.ShouldContain($"invalid NBI {BsdpServeFixture.MissingBooter}.nbi: BootFileMissing (BootFile): boot file i386/booter does not exist");
        output.ShouldContain("3 image(s) served");
        foreach (var served in new[] { BsdpServeFixture.NetRestore, BsdpServeFixture.DeployStudio, BsdpServeFixture.AutoCasper })
            output.ShouldContain($"serving {served}.nbi:");
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_with_exit_code_0_within_a_few_seconds()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "SIGTERM is a Unix signal");
        await using var server = AgentProcess.Start("bsdp", "serve", "--nbi-root", fixture.Root.Path, "--server-ip", "127.0.0.1",
            "--listen", $"127.0.0.1:{LoopbackPorts.FreeUdp()}", "--tftp-listen", $"127.0.0.1:{LoopbackPorts.FreeUdp()}");
        await server.WaitForLineAsync(l => l.StartsWith("TFTP listening", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "TFTP listening");

        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));

        exit.ShouldBe(0, server.StdErr);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        server.StdOut.ShouldContain("stopped");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using CoreConsole.Agent.Cli;
using CoreConsole.Agent.NetBoot;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoreConsole.Agent.Tests.NetBoot;

/// <summary>
/// The real agent host as an elected representative against a fake core (Kestrel) that serves the catalogue and the
/// share's files; Macs are played by the in-process <see cref="BsdpProbe"/> on its own loopback address, port 68.
/// </summary>
public sealed class RepresentativeServingTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();
    private FakeCore _core = null!;
    private AgentStateStore _store = null!;
    private readonly int _bsdpPort = LoopbackPorts.FreeUdp();
    private readonly int _tftpPort = LoopbackPorts.FreeUdp();

    public async ValueTask InitializeAsync()
    {
        _core = await FakeCore.StartAsync();
        _store = new AgentStateStore(_dir.Path);
        await EnrollCommand.EnrollAsync(_core.Url, FakeCore.Token,
            new IdentityOverrides { Model = "Macmini8,1", Ipv4 = "127.0.0.1/8", SerialNumber = "SIM-REP" }, _store, TestContext.Current.CancellationToken);
    }

    private IHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None); // the agent must be done writing before its directory goes
            _host.Dispose();
        }
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<IHost> StartAgentAsync()
    {
        var host = AgentHost.Build(_store, new IPEndPoint(IPAddress.Loopback, 0), representative: new RepresentativeOptions
        {
            BsdpListen = new IPEndPoint(IPAddress.Loopback, _bsdpPort),
            TftpListen = new IPEndPoint(IPAddress.Loopback, _tftpPort),
        });
        _host = host;
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static RepresentativeRole Role(int leaseSeconds, long term = 1) => new()
    {
        Subnet = "127.0.0.0/8", Term = term, LeaseSeconds = leaseSeconds, LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(leaseSeconds),
    };

    /// <summary>A catalogue of HTTP images, each with a generated booter put on the fake share.</summary>
    private CatalogueDocument Catalogue(string version, int? defaultIndex, params (int Index, string Name)[] images)
    {
        var list = new List<CatalogueImage>();
        foreach (var (index, name) in images)
        {
            var local = $"{name}.nbi/i386/booter";
            if (!_core.ShareFiles.TryGetValue($"{name}/booter", out var bytes))
            {
                bytes = new byte[120_000 + index];
                Random.Shared.NextBytes(bytes);
                _core.ShareFiles[$"{name}/booter"] = bytes;
            }
            list.Add(new CatalogueImage
            {
                Index = index, Name = name, IsInstall = true, Kind = 1, Type = "HTTP", Architectures = ["i386"],
                BootFilePaths = new Dictionary<string, string> { ["i386"] = local },
                RootPath = $"http://127.0.0.1/vboot/NetBoot/{name}.nbi/NetInstall.dmg",
                Files = [new CatalogueFile($"/share/{name}/booter", local, bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)))],
            });
        }
        return new CatalogueDocument { Version = version, Subnet = "127.0.0.0/8", Images = list, DefaultIndex = defaultIndex };
    }

    private BsdpProbe Probe(string mac, TimeSpan? timeout = null) => new(new BsdpProbeOptions
    {
        Server = new IPEndPoint(IPAddress.Loopback, _bsdpPort),
        Bind = LoopbackPorts.NextProbeAddress(),
        Model = "MacBookPro14,1",
        Mac = PhysicalAddress.Parse(mac),
        Timeout = timeout ?? TimeSpan.FromSeconds(2),
    });

    private RepresentativeStatus? LastReported => _core.CheckIns.LastOrDefault()?.Representative;

    [Fact]
    public async Task Gaining_a_role_syncs_the_files_then_serves_and_a_new_catalogue_is_offered_without_a_gap()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);
        var ct = TestContext.Current.CancellationToken;
        _core.ShareDelay = TimeSpan.FromSeconds(2.5);
        _core.Catalogue = Catalogue("v1", 10, (10, "Alpha"));
        _core.Role = Role(leaseSeconds: 30);

        var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => LastReported?.State == RepresentativeState.Serving, Patience, "check-in reporting serving");

        var syncing = _core.CheckIns.Select(c => c.Representative).Where(r => r?.State == RepresentativeState.Syncing).ToList();
        syncing.ShouldNotBeEmpty("the check-ins while the booter downloaded report syncing");
        syncing.ShouldAllBe(r => r!.SyncProgress >= 0 && r.SyncProgress < 1);
        LastReported!.CatalogueVersion.ShouldBe("v1");
        var cache = host.Services.GetRequiredService<NetBootRepresentativeService>().CacheRoot;
        (await File.ReadAllBytesAsync(Path.Combine(cache, "Alpha.nbi/i386/booter"), ct)).ShouldBe(_core.ShareFiles["Alpha/booter"]);

        using (var mac = Probe("02:cc:00:00:10:01"))
        {
            var list = (await mac.ListAsync(ct)).ShouldNotBeNull("the representative answers LIST");
            list.ServerIdentifier.ShouldBe("127.0.0.1");
            list.Images.Select(i => i.Name).ShouldBe(["Alpha"]);
            var select = (await mac.SelectAsync(0x7F000001, list.DefaultImage!.Value, ct)).ShouldNotBeNull();
            select.Outcome.ShouldBe("select");
            select.BootFile.ShouldBe("Alpha.nbi/i386/booter");
            select.RootPath.ShouldBe("http://127.0.0.1/vboot/NetBoot/Alpha.nbi/NetInstall.dmg");
        }
        // The check-ins carry the responder's reply counter (LIST + SELECT so far) for the dashboard's activity chart.
        await Eventually.HoldsAsync(() => LastReported?.BsdpReplies >= 2, Patience, "check-in reporting the BSDP replies");

        // New catalogue version: Beta added and made the default. A Mac asking all the while is never left unanswered.
        _core.ShareDelay = TimeSpan.FromSeconds(1);
        _core.Catalogue = Catalogue("v2", 11, (10, "Alpha"), (11, "Beta"));
        using var looping = Probe("02:cc:00:00:10:02", TimeSpan.FromSeconds(2));
        int answered = 0, unanswered = 0;
        ProbeListReply? latest = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience && latest?.Images.Any(i => i.Name == "Beta") != true)
        {
            latest = await looping.ListAsync(ct);
            if (latest is null) unanswered++;
            else answered++;
        }
        latest.ShouldNotBeNull().Images.Select(i => i.Name).ShouldBe(["Alpha", "Beta"]);
        (latest.DefaultImage & 0xFFFF).ShouldBe(11u);
        unanswered.ShouldBe(0, $"LIST went unanswered during the switch ({answered} answered)");
        answered.ShouldBeGreaterThan(1, "the loop overlapped the re-sync");
        await Eventually.HoldsAsync(() => LastReported is { State: RepresentativeState.Serving, CatalogueVersion: "v2" }, Patience, "check-in reporting v2");
    }

    [Fact]
    public async Task A_representative_cut_off_from_the_core_stops_serving_before_its_lease_could_pass_to_another()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);
        var ct = TestContext.Current.CancellationToken;
        const int leaseSeconds = 8;
        _core.Catalogue = Catalogue("v1", null, (20, "Gamma"));
        _core.Role = Role(leaseSeconds);

        var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => LastReported?.State == RepresentativeState.Serving, Patience, "serving");
        using var mac = Probe("02:cc:00:00:20:01", TimeSpan.FromMilliseconds(400));
        (await mac.ListAsync(ct)).ShouldNotBeNull();

        _core.Down = true; // no more renewals
        var service = host.Services.GetRequiredService<NetBootRepresentativeService>();
        long stoppedAt = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(leaseSeconds + 5))
        {
            if (service.BsdpEndPoint is null)
            {
                stoppedAt = Environment.TickCount64;
                break;
            }
            await Task.Delay(20, ct);
        }
        stoppedAt.ShouldBeGreaterThan(0, "the representative kept serving past its lease");
        // The core counts the lease from when it received the last renewal; the agent must be silent before it ends.
        long leaseEndsAtCore = Interlocked.Read(ref _core.LastCheckInTickCount) + leaseSeconds * 1000;
        (leaseEndsAtCore - stoppedAt).ShouldBeGreaterThan(1000, "it stops a safety margin (2 s) before the lease ends, not at the last moment");
        (await mac.ListAsync(ct)).ShouldBeNull("a Mac gets no answer once it stopped");

        await Task.Delay(1000, ct);
        (await mac.ListAsync(ct)).ShouldBeNull("and stays silent");
    }

    [Fact]
    public async Task Losing_the_role_stops_serving_at_once_and_the_check_in_reports_no_role()
    {
        Assert.SkipUnless(LoopbackPorts.CanBindPrivileged(), LoopbackPorts.NoPrivilegedPort);
        var ct = TestContext.Current.CancellationToken;
        _core.Catalogue = Catalogue("v1", null, (30, "Delta"));
        _core.Role = Role(leaseSeconds: 60);

        var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => LastReported?.State == RepresentativeState.Serving, Patience, "serving");
        _core.Role = null;

        var service = host.Services.GetRequiredService<NetBootRepresentativeService>();
        await Eventually.HoldsAsync(() => service.BsdpEndPoint is null, TimeSpan.FromSeconds(10), "BSDP listener closed");
        using var mac = Probe("02:cc:00:00:30:01", TimeSpan.FromMilliseconds(500));
        (await mac.ListAsync(ct)).ShouldBeNull();
        await Eventually.HoldsAsync(() => _core.CheckIns.Last().Representative is null, Patience, "check-in without a representative status");
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_checksum_is_reported_as_an_error_and_nothing_is_served()
    {
        var catalogue = Catalogue("v1", null, (40, "Epsilon"));
        var image = catalogue.Images[0];
        var file = image.Files[0] with { Sha256 = new string('0', 64) };
        _core.Catalogue = catalogue with { Images = [image with { Files = [file] }] };
        _core.Role = Role(leaseSeconds: 60);

        var host = await StartAgentAsync();
        await Eventually.HoldsAsync(() => LastReported?.State == RepresentativeState.Error, Patience, "check-in reporting error");

        LastReported!.Error.ShouldNotBeNull().ShouldContain("Epsilon.nbi/i386/booter: SHA-256");
        host.Services.GetRequiredService<NetBootRepresentativeService>().BsdpEndPoint.ShouldBeNull();
        File.Exists(Path.Combine(host.Services.GetRequiredService<NetBootRepresentativeService>().CacheRoot, "Epsilon.nbi/i386/booter")).ShouldBeFalse();
    }
}

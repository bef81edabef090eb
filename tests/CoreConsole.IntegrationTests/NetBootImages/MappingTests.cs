using System.Net;
using System.Text.Json;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.NetBootImages;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>Saving the mapping: validation, publishing a catalogue version, concurrency, health, coverage and the push.</summary>
public sealed class MappingTests : IAsyncLifetime
{
    private readonly NetBootAppFactory _app = new();
    private Guid _deployStudio, _netRestore, _disabled;

    public async ValueTask InitializeAsync()
    {
        var browse = await _app.SendAsync(new BrowseShareCommand(_app.ShareUrl));
        var folders = browse.Value.Folders.ToDictionary(f => f.FolderName);
        _deployStudio = folders[TestShare.DeployStudio].ImageId!.Value;
        _netRestore = folders[TestShare.NetRestore].ImageId!.Value;
        _disabled = folders["AutoCasperNBI-template.nbi"].ImageId!.Value;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task<Result<CatalogueVersionView>> SaveAsync(Guid? defaultImage, int version, params (string Model, Guid Image)[] overrides) =>
        _app.SendAsync(new SaveNetBootMappingCommand(_app.ShareUrl, defaultImage, [.. overrides.Select(o => new ModelOverrideInput(o.Model, o.Image))], version));

    [Fact]
    public async Task Saving_publishes_an_immutable_catalogue_version_with_addresses_an_audit_entry_and_a_push_job()
    {
        var saved = await SaveAsync(_netRestore, 0, ("MacBookPro10,1", _deployStudio));
        saved.IsSuccess.ShouldBeTrue(saved.Error?.Message);
        saved.Value.Number.ShouldBe(1);

        var published = (await _app.QueryAsync(new GetPublishedCatalogueQuery()))!;
        published.Number.ShouldBe(1);
        var doc = published.Document;
        doc.Version.ShouldBe("1");
        doc.DefaultIndex.ShouldBe(45);
        doc.ModelOverrides.ShouldBe(new Dictionary<string, int> { ["MacBookPro10,1"] = 1082 });
        doc.Images.Select(i => i.Index).Order().ShouldBe([45, 1082]);
        var netRestore = doc.Images.Single(i => i.Index == 45);
        netRestore.IsDefault.ShouldBeTrue();
        netRestore.Type.ShouldBe("HTTP"); // an NFS image with a local DMG is served over HTTP
        netRestore.RootPath.ShouldBe(_app.ShareUrl + "NetRestore-10.5.8.nbi/NetInstall-Restore.dmg");
        netRestore.BootFilePaths["i386"].ShouldBe("NetRestore-10.5.8.nbi/i386/booter");
        netRestore.Files.Select(f => f.Url).ShouldContain(_app.ShareUrl + "NetRestore-10.5.8.nbi/ppc/booter");
        netRestore.Files.ShouldContain(f => f.LocalPath == "NetRestore-10.5.8.nbi/i386/booter");

        var audit = await _app.DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "NetBootImageMapping").ToListAsync());
        audit.ShouldHaveSingleItem().Summary!.ShouldContain("catalogue version 1 published");
        var notify = await _app.DbAsync(db => db.WorkItems.Where(w => w.Kind == NotifyCatalogueHandler.WorkKind).ToListAsync());
        notify.ShouldHaveSingleItem().Payload.ShouldBe("1");

        // A second save is a new version; version 1 is unchanged.
        (await SaveAsync(_deployStudio, 1)).Value.Number.ShouldBe(2);
        var v1 = await _app.DbAsync(db => db.CatalogueVersions.SingleAsync(v => v.Number == 1));
        JsonSerializer.Deserialize<CatalogueDocument>(v1.Json, AgentProtocol.JsonOptions)!.DefaultIndex.ShouldBe(45);
        (await _app.QueryAsync(new GetPublishedCatalogueQuery()))!.Document.DefaultIndex.ShouldBe(1082);
    }

    [Fact]
    public async Task An_override_to_an_image_whose_whitelist_excludes_the_model_is_refused_and_nothing_is_published()
    {
        var result = await SaveAsync(_netRestore, 0, ("MacBookPro10,1", _deployStudio), ("iMac7,1", _deployStudio));
        result.Error!.Kind.ShouldBe(ErrorKind.Validation);
        result.Error.FieldErrors!.Keys.ShouldBe(["Overrides[1]"]);
        result.Error.FieldErrors["Overrides[1]"][0].ShouldContain("iMac7,1 is not in the image's model whitelist");
        (await _app.DbAsync(db => db.CatalogueVersions.CountAsync())).ShouldBe(0);
        (await _app.QueryAsync(new GetNetBootMappingQuery())).Version.ShouldBe(0);
    }

    [Fact]
    public async Task A_powerpc_model_cannot_be_sent_to_an_intel_only_image()
    {
        var result = await SaveAsync(_netRestore, 0, ("PowerMac7,3", _deployStudio));
        result.Error!.FieldErrors!["Overrides[0]"][0].ShouldContain("PowerMac7,3 would boot nothing");
        ModelAcceptance.WhyNot("PowerMac7,3", ["i386"], []).ShouldBe("the image has i386 booters; PowerMac7,3 needs ppc");
        ModelAcceptance.WhyNot("MacBookPro10,1", ["ppc"], []).ShouldBe("the image has ppc booters; MacBookPro10,1 needs i386 or x86_64");
        ModelAcceptance.WhyNot("MacBookPro10,1", ["i386"], ["MacBookPro10,1"]).ShouldBeNull();
        ModelAcceptance.WhyNot("macbookpro10,1", ["i386"], ["MacBookPro10,1"]).ShouldNotBeNull(); // exact, case-sensitive
        (await SaveAsync(_netRestore, 0, ("PowerMac7,3", _netRestore))).IsSuccess.ShouldBeTrue(); // NetRestore has a ppc booter
    }

    [Fact]
    public async Task A_disabled_or_unknown_default_image_and_an_empty_mapping_are_refused()
    {
        (await SaveAsync(_disabled, 0)).Error!.FieldErrors!["DefaultImageId"][0].ShouldContain("disabled");
        (await SaveAsync(Guid.NewGuid(), 0)).Error!.FieldErrors!["DefaultImageId"][0].ShouldContain("does not exist");
        (await SaveAsync(null, 0)).Error!.FieldErrors!["DefaultImageId"][0].ShouldContain("Choose a default image");
        (await SaveAsync(_netRestore, 0, ("iMac9,1", _deployStudio), ("iMac9,1", _netRestore))).Error!.FieldErrors!["Overrides"][0].ShouldContain("iMac9,1 appears more than once");
        (await _app.DbAsync(db => db.CatalogueVersions.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_share_url_with_a_host_name_cannot_be_published_because_firmware_does_no_dns()
    {
        var byName = _app.ShareUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        (await _app.SendAsync(new BrowseShareCommand(byName))).IsSuccess.ShouldBeTrue();
        var image = (await _app.QueryAsync(new ListNetBootImagesQuery(byName))).Single(i => i.FolderName == TestShare.NetRestore);
        var result = await _app.SendAsync(new SaveNetBootMappingCommand(byName, image.Id, [], 0));
        result.Error!.FieldErrors!["ShareUrl"][0].ShouldContain("is not an IPv4 literal");
    }

    [Fact]
    public async Task Two_administrators_saving_the_same_mapping_the_second_gets_a_conflict_and_the_first_change_stands()
    {
        var first = await _app.QueryAsync(new GetNetBootMappingQuery());
        var second = await _app.QueryAsync(new GetNetBootMappingQuery());
        first.Version.ShouldBe(second.Version);

        (await SaveAsync(_netRestore, first.Version, ("MacBookPro10,1", _deployStudio))).IsSuccess.ShouldBeTrue();
        var late = await SaveAsync(_deployStudio, second.Version);
        late.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        late.Error.Message.ShouldContain("Someone else saved the mapping");

        var now = await _app.QueryAsync(new GetNetBootMappingQuery());
        now.DefaultImageId.ShouldBe(_netRestore);
        now.Overrides.ShouldHaveSingleItem().Model.ShouldBe("MacBookPro10,1");
        (await _app.DbAsync(db => db.CatalogueVersions.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Two_saves_racing_past_the_version_check_cannot_both_win()
    {
        // Both commands carry version 0 and run at once: the concurrency token in the UPDATE lets only one commit.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => SaveAsync(i % 2 == 0 ? _netRestore : _deployStudio, 0)));
        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Kind == ErrorKind.Conflict);
        (await _app.DbAsync(db => db.CatalogueVersions.CountAsync())).ShouldBe(1);
    }

    [Fact]
    public async Task Health_check_heads_every_file_records_type_and_size_and_flags_what_a_mac_cannot_fetch()
    {
        File.Delete(Path.Combine(_app.ShareRoot, TestShare.DeployStudio, "NetInstall.dmg"));
        var id = await RunWorkAsync(new StartNbiHealthCheckCommand());
        (await _app.DbAsync(db => db.WorkItems.SingleAsync(w => w.Id == id))).State.ShouldBe(WorkItemState.Succeeded);

        var images = (await _app.QueryAsync(new ListNetBootImagesQuery(_app.ShareUrl))).ToDictionary(i => i.FolderName);
        var netRestore = images[TestShare.NetRestore];
        netRestore.Health.ShouldBe(NbiHealthState.Healthy);
        var booter = netRestore.HealthReport!.Files.Single(f => f.Role == "booter (i386)");
        (booter.Status, booter.ContentType, booter.Size).ShouldBe((200, "application/octet-stream", 4096L + 45));
        netRestore.HealthReport.Files.ShouldContain(f => f.Role == "kernel cache (i386/x86_64/kernelcache)" && f.Size == 8192);
        netRestore.HealthReport.Files.ShouldContain(f => f.Role == "root DMG" && f.Size == 64 * 1024);

        var deployStudio = images[TestShare.DeployStudio];
        deployStudio.Health.ShouldBe(NbiHealthState.Unhealthy);
        deployStudio.HealthReport!.Problems.ShouldContain(p => p.Contains("root DMG") && p.Contains("404"));

        var autoCasper = images["AutoCasperNBI-template.nbi"];
        autoCasper.HealthReport!.Problems.ShouldContain(p => p.Contains("boot image id 0x8100a410") && p.Contains("also used by"));
    }

    [Fact]
    public async Task Coverage_shows_every_inventory_model_with_its_image_and_problems_and_exports_csv()
    {
        await _app.DbAsync(async db =>
        {
            foreach (var (model, n) in new[] { ("MacBookPro10,1", 3), ("iMac7,1", 2), ("PowerMac7,3", 1), ("MacPro1,1,Quad", 1) })
                for (int i = 0; i < n; i++)
                    db.Devices.Add(new Device { Id = Guid.NewGuid(), HostName = $"{model}-{i}", Model = model, SerialNumber = Guid.NewGuid().ToString("N")[..12] });
            return await db.SaveChangesAsync();
        });

        var before = await _app.QueryAsync(new GetCoverageReportQuery());
        before.Count.ShouldBe(4);
        before.ShouldAllBe(r => r.Problems.Contains(CoverageProblem.NoBootableImage));

        (await SaveAsync(_deployStudio, 0, ("PowerMac7,3", _netRestore))).IsSuccess.ShouldBeTrue();
        var rows = (await _app.QueryAsync(new GetCoverageReportQuery())).ToDictionary(r => r.Model);
        rows["MacBookPro10,1"].ShouldSatisfyAllConditions(r => r.DeviceCount.ShouldBe(3), r => r.Accepted.ShouldBe(true), r => r.Problems.ShouldBeEmpty());
        rows["iMac7,1"].Problems.ShouldBe([CoverageProblem.ExcludedByImage, CoverageProblem.NoBootableImage]);
        rows["PowerMac7,3"].ShouldSatisfyAllConditions(r => r.IsOverride.ShouldBeTrue(), r => r.ImageName.ShouldBe("NetRestore-10.5.8"), r => r.Problems.ShouldBeEmpty());
        (await _app.QueryAsync(new GetCoverageReportQuery(ProblemsOnly: true))).Select(r => r.Model).ShouldBe(["MacPro1,1,Quad", "iMac7,1"]); // ordinal order

        // The image disappears from the share: the models that boot it now report it missing.
        Directory.Delete(Path.Combine(_app.ShareRoot, TestShare.DeployStudio), recursive: true);
        await _app.SendAsync(new BrowseShareCommand(_app.ShareUrl));
        (await _app.QueryAsync(new GetCoverageReportQuery())).Single(r => r.Model == "MacBookPro10,1").Problems.ShouldContain(CoverageProblem.ImageMissing);

        // CSV needs a login; the rows quote model identifiers with commas.
        using var anonymous = _app.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = _app.BaseAddress });
        var response = await anonymous.GetAsync("/netboot-images/coverage.csv", TestContext.Current.CancellationToken);
        // Anonymous: no CSV (a fresh install answers with first-run setup, otherwise the login redirect).
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("text/csv");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldNotContain("MacBookPro10,1");
        var csv = CoverageCalculator.ToCsv(await _app.QueryAsync(new GetCoverageReportQuery()));
        csv.ShouldStartWith("Model,Devices,Image,Source,Accepts model,Problems,Detail\r\n");
        csv.ShouldContain("\"MacPro1,1,Quad\",1,");
    }

    [Fact]
    public async Task Representatives_are_pushed_a_signed_sync_catalogue_and_served_the_published_document()
    {
        var received = new List<(PushRequest Request, PushVerification Verified)>();
        var agentId = Guid.NewGuid();
        var pushKey = AgentAuth.DerivePushKey(AgentAuth.GenerateSecret());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var listener = builder.Build();
        var guard = new PushReplayGuard();
        listener.MapPost(AgentProtocol.Push, async (HttpContext c) =>
        {
            using var ms = new MemoryStream();
            await c.Request.Body.CopyToAsync(ms);
            var verified = AgentAuth.VerifyPush(c.Request.Headers.Authorization, c.Request.Headers[AgentAuth.TimestampHeader], ms.ToArray(),
                agentId, pushKey, DateTimeOffset.UtcNow, guard);
            lock (received) received.Add((JsonSerializer.Deserialize<PushRequest>(ms.ToArray(), AgentProtocol.JsonOptions)!, verified));
            return Results.Json(new PushResponse { Accepted = true }, AgentProtocol.JsonOptions);
        });
        await listener.StartAsync(TestContext.Current.CancellationToken);

        await _app.DbAsync(async db =>
        {
            var device = new Device { Id = Guid.NewGuid(), HostName = "rep-1", Model = "Macmini6,2", SerialNumber = "REP1" };
            db.Devices.Add(device);
            db.Agents.Add(new Agent { Id = agentId, DeviceId = device.Id, PushKey = pushKey, PushUrl = listener.Urls.First(), RepresentativeSubnet = "10.0.1.0/24" });
            var other = new Device { Id = Guid.NewGuid(), HostName = "plain", Model = "Macmini6,2", SerialNumber = "PLAIN" };
            db.Devices.Add(other);
            db.Agents.Add(new Agent { Id = Guid.NewGuid(), DeviceId = other.Id, PushKey = pushKey, PushUrl = listener.Urls.First() }); // no role: not pushed
            return await db.SaveChangesAsync();
        });

        (await SaveAsync(_netRestore, 0)).IsSuccess.ShouldBeTrue();
        var notify = await _app.DbAsync(db => db.WorkItems.SingleAsync(w => w.Kind == NotifyCatalogueHandler.WorkKind));
        await RunAsync(notify.Id);

        var push = received.ShouldHaveSingleItem();
        push.Verified.ShouldBe(PushVerification.Valid);
        push.Request.Kind.ShouldBe(PushKind.SyncCatalogue);
        push.Request.CatalogueVersion.ShouldBe("1");
        // Progress is written in the background: give it a moment to land.
        string? progress = null;
        for (int i = 0; i < 50 && progress is null; i++, await Task.Delay(100, TestContext.Current.CancellationToken))
            progress = (await _app.DbAsync(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.Id == notify.Id))).Progress;
        progress.ShouldNotBeNull().ShouldContain("1 of 1 representatives");

        // What the agent API hands that representative: the published document with its subnet.
        var source = _app.Services.GetRequiredService<IRepresentativeCatalogueSource>();
        source.ShouldBeOfType<PublishedCatalogueSource>();
        var doc = (await source.GetDocumentAsync(agentId, "1", TestContext.Current.CancellationToken))!;
        doc.Subnet.ShouldBe("10.0.1.0/24");
        doc.DefaultIndex.ShouldBe(45);
        (await source.GetDocumentAsync(agentId, "99", TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public async Task The_page_lists_which_catalogue_version_each_PXE_subnets_representative_holds()
    {
        (await SaveAsync(_netRestore, 0)).IsSuccess.ShouldBeTrue();
        (await SaveAsync(_deployStudio, 1)).IsSuccess.ShouldBeTrue(); // latest is now version 2

        await _app.DbAsync(async db =>
        {
            var n = 0;
            Guid AddSubnet(string cidr, Guid? rep)
            {
                var subnet = new Subnet { Id = Guid.NewGuid(), Cidr = cidr, NetworkAddress = cidr[..^3], NetworkNumber = ++n, PrefixLength = 24, CreatedAt = DateTimeOffset.UtcNow };
                db.Subnets.Add(subnet);
                db.SubnetServices.Add(new SubnetService { Id = Guid.NewGuid(), SubnetId = subnet.Id, DesiredEnabled = true, RepresentativeAgentId = rep, Term = rep is null ? 0 : 1 });
                return subnet.Id;
            }
            Guid AddRep(string host, RepresentativeState state, string? version)
            {
                var device = new Device { Id = Guid.NewGuid(), HostName = host, Model = "Macmini6,2", SerialNumber = host.ToUpperInvariant() };
                db.Devices.Add(device);
                var agent = new Agent { Id = Guid.NewGuid(), DeviceId = device.Id, RepresentativeState = state, RepresentativeCatalogueVersion = version };
                db.Agents.Add(agent);
                return agent.Id;
            }
            AddSubnet("10.0.1.0/24", AddRep("current", RepresentativeState.Serving, "2"));
            AddSubnet("10.0.2.0/24", AddRep("behind", RepresentativeState.Serving, "1"));
            AddSubnet("10.0.3.0/24", null);
            var disabled = AddSubnet("10.0.4.0/24", AddRep("off", RepresentativeState.Serving, "1"));
            db.SubnetServices.Local.Single(s => s.SubnetId == disabled).DesiredEnabled = false;
            return await db.SaveChangesAsync();
        });

        var rows = await _app.QueryAsync(new ListRepresentativeCataloguesQuery());

        rows.Select(r => (r.Subnet, r.Representative, r.HeldVersion, r.LatestVersion, r.Current)).ShouldBe(
        [
            ("10.0.1.0/24", "current", 2, 2, true),
            ("10.0.2.0/24", "behind", 1, 2, false),
            ("10.0.3.0/24", null, null, 2, false),
        ]);
    }

    private async Task<Guid> RunWorkAsync(StartNbiHealthCheckCommand command)
    {
        var id = (await _app.SendAsync(command)).Value;
        await RunAsync(id);
        return id;
    }

    private async Task RunAsync(Guid workItemId)
    {
        using var scope = _app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<WorkItemRunner>().RunAsync(workItemId, TestContext.Current.CancellationToken);
    }
}

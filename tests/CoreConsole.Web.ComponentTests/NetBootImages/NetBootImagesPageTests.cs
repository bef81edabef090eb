using Bunit;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.NetBootImages;
using CoreConsole.Contracts.Agents;
using CoreConsole.Web.Features.NetBootImages;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using NSubstitute;

namespace CoreConsole.Web.ComponentTests.NetBootImages;

/// <summary>The mapping page and the coverage report against a substituted mediator (no database, no HTTP).</summary>
public sealed class NetBootImagesPageTests : BunitContext
{
    private readonly ISender _sender = Substitute.For<ISender>();
    private static readonly Guid DeployStudio = Guid.NewGuid(), NetRestore = Guid.NewGuid();

    public NetBootImagesPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddSingleton(_sender);
        Services.AddSingleton(Options.Create(new NetBootShareOptions()));

        _sender.Send(Arg.Any<GetNetBootMappingQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<NetBootMappingView>(
            new NetBootMappingView("http://10.0.0.5/vboot/NetBoot/", NetRestore, [new ModelOverrideView("iMac7,1", DeployStudio)], 3, null, null,
                new CatalogueVersionView(7, DateTimeOffset.UtcNow, "admin@example.org"))));
        _sender.Send(Arg.Any<ListModelsQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<ModelCount>>(
            [new ModelCount("MacBookPro10,1", 3), new ModelCount("iMac7,1", 2)]));
        _sender.Send(Arg.Any<ListNetBootImagesQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<NetBootImageView>>(
        [
            Image(DeployStudio, "DeployStudio-10.8", 1082, ["i386"], ["MacBookPro10,1", "iMac9,1"]),
            Image(NetRestore, "NetRestore-10.5.8", 45, ["ppc", "i386"], []),
        ]));
        _sender.Send(Arg.Any<GetNbiHealthJobQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<NbiHealthJobView?>(
            new NbiHealthJobView(Guid.NewGuid(), WorkItemState.Running, "Checked 1 of 2 images; now NetRestore-10.5.8.nbi", null, DateTimeOffset.UtcNow, null)));
        _sender.Send(Arg.Any<GetCoverageReportQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<CoverageRow>>(
        [
            new CoverageRow("MacBookPro10,1", 3, NetRestore, "NetRestore-10.5.8", false, true, [], null),
            new CoverageRow("iMac7,1", 2, DeployStudio, "DeployStudio-10.8", true, false,
                [CoverageProblem.ExcludedByImage, CoverageProblem.NoBootableImage], "iMac7,1 is not in the image's model whitelist (2 models)"),
        ]));
    }

    private static NetBootImageView Image(Guid id, string name, int index, string[] archs, string[] whitelist) => new(
        id, name + ".nbi", $"http://10.0.0.5/vboot/NetBoot/{name}.nbi/", index, name, "10.8", null, 1, true, true, "NFS", archs, whitelist,
        0x81000000L | (uint)index, false, null, NbiHealthState.Healthy, DateTimeOffset.UtcNow, null);

    private IRenderedComponent<NetBootImagesPage> RenderAs(string role)
    {
        AddAuthorization().SetAuthorized("someone@example.org").SetRoles(role);
        Render<MudPopoverProvider>();
        return Render<NetBootImagesPage>();
    }

    [Fact]
    public void Images_mapping_and_health_progress_are_shown_and_an_excluded_override_is_flagged_before_saving()
    {
        var page = RenderAs(Roles.Administrator);
        page.WaitForAssertion(() => page.FindAll("tr.image-row").Count.ShouldBe(2));
        page.Find("#images-table").TextContent.ShouldContain("ppc, i386");
        page.Find("#images-table").TextContent.ShouldContain("2 models");
        page.Find("#health-progress").TextContent.ShouldContain("Checked 1 of 2 images");
        page.Find("#published").TextContent.ShouldContain("version 7");

        var row = page.Find("tr.override-row[data-model='iMac7,1']");
        row.TextContent.ShouldContain("2"); // device count from inventory
        row.QuerySelector(".override-warning")!.TextContent.ShouldContain("iMac7,1 is not in the image's model whitelist");
        page.FindAll("#browse").Count.ShouldBe(1);
        page.FindAll("#save-mapping").Count.ShouldBe(1);
    }

    [Fact]
    public void Each_representative_shows_the_catalogue_version_it_holds_against_the_latest()
    {
        _sender.Send(Arg.Any<ListRepresentativeCataloguesQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<RepresentativeCatalogueRow>>(
        [
            new RepresentativeCatalogueRow(Guid.NewGuid(), "10.0.1.0/24", "lab-mac-1", RepresentativeState.Serving, 7, 7),
            new RepresentativeCatalogueRow(Guid.NewGuid(), "10.0.2.0/24", "studio-mac", RepresentativeState.Serving, 6, 7),
            new RepresentativeCatalogueRow(Guid.NewGuid(), "10.0.3.0/24", "hall-mac", RepresentativeState.Syncing, 7, 7),
            new RepresentativeCatalogueRow(Guid.NewGuid(), "10.0.4.0/24", null, null, null, 7),
        ]));
        var page = RenderAs(Roles.Viewer);

        page.WaitForAssertion(() => page.FindAll("tr.rep-catalogue").Count.ShouldBe(4));
        var rows = page.FindAll("tr.rep-catalogue").Select(r => r.TextContent).ToList();
        rows[0].ShouldContain("version 7 (latest)");
        rows[1].ShouldContain("version 6, behind 7");
        rows[2].ShouldContain("syncing version 7");
        rows[3].ShouldContain("none elected");
    }

    [Fact]
    public void A_viewer_sees_everything_but_can_change_nothing()
    {
        var page = RenderAs(Roles.Viewer);
        page.WaitForAssertion(() => page.FindAll("tr.image-row").Count.ShouldBe(2));
        page.FindAll("#browse").ShouldBeEmpty();
        page.FindAll("#save-mapping").ShouldBeEmpty();
        page.FindAll("#check-health").ShouldBeEmpty();
        page.FindAll(".remove-override").ShouldBeEmpty();
        page.Find("#read-only-note").TextContent.ShouldContain("read-only");
    }

    [Fact]
    public async Task A_conflicting_save_shows_the_conflict_and_keeps_the_form_as_the_user_left_it()
    {
        _sender.Send(Arg.Any<SaveNetBootMappingCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result<CatalogueVersionView>>(
            Result<CatalogueVersionView>.Fail(Error.Conflict("Someone else saved the mapping (version 4) while you were editing version 3."))));
        var page = RenderAs(Roles.Operator);
        page.WaitForAssertion(() => page.FindAll("tr.override-row").Count.ShouldBe(1));

        await page.Find("#save-mapping").ClickAsync(new());

        page.WaitForAssertion(() => page.Find("#save-error").TextContent.ShouldContain("Someone else saved the mapping"));
        page.FindAll("#reload-mapping").Count.ShouldBe(1);
        page.Find("tr.override-row").GetAttribute("data-model").ShouldBe("iMac7,1");
        page.Find("#share-url").GetAttribute("value").ShouldBe("http://10.0.0.5/vboot/NetBoot/");
        await _sender.Received(1).Send(Arg.Is<SaveNetBootMappingCommand>(c =>
            c.Version == 3 && c.DefaultImageId == NetRestore && c.Overrides.Count == 1 && c.Overrides[0].Model == "iMac7,1"), Arg.Any<CancellationToken>());
        await _sender.Received(1).Send(Arg.Any<GetNetBootMappingQuery>(), Arg.Any<CancellationToken>()); // not reloaded behind the user's back
    }

    [Fact]
    public async Task A_refused_override_shows_its_message_on_its_row()
    {
        _sender.Send(Arg.Any<SaveNetBootMappingCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result<CatalogueVersionView>>(
            Result<CatalogueVersionView>.Fail(Error.Validation("Overrides[0]", "iMac7,1 would boot nothing: \"DeployStudio-10.8\" excludes it."))));
        var page = RenderAs(Roles.Administrator);
        page.WaitForAssertion(() => page.FindAll("tr.override-row").Count.ShouldBe(1));
        await page.Find("#save-mapping").ClickAsync(new());
        page.WaitForAssertion(() => page.Find("tr.override-row .override-error").TextContent.ShouldContain("would boot nothing"));
        page.Find("#save-error").TextContent.ShouldContain("Nothing was saved");
    }

    [Fact]
    public async Task Coverage_report_lists_models_filters_to_problems_and_links_the_csv()
    {
        Render<MudPopoverProvider>();
        var report = Render<CoverageReport>();
        report.WaitForAssertion(() => report.FindAll("tr.coverage-row").Count.ShouldBe(2));
        report.Find("tr.coverage-row[data-model='iMac7,1']").TextContent.ShouldContain("Excluded by the image");
        report.Find("tr.coverage-row[data-model='MacBookPro10,1']").TextContent.ShouldContain("(default)");
        report.Find("#coverage-summary").TextContent.ShouldContain("1 model(s) with problems");
        report.Find("#export-csv").GetAttribute("href").ShouldBe("/netboot-images/coverage.csv?problemsOnly=false");

        await report.Find("input#problems-only, #problems-only input").ChangeAsync(new() { Value = true });
        report.WaitForAssertion(() => report.FindAll("tr.coverage-row").Select(r => r.GetAttribute("data-model")).ShouldBe(["iMac7,1"]));
        report.Find("#export-csv").GetAttribute("href").ShouldBe("/netboot-images/coverage.csv?problemsOnly=true");
    }
}

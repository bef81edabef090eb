using Bunit;
using Bunit.TestDoubles;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Application.Features.Subnets.Election;
using CoreConsole.Web.Features.Subnets;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using NSubstitute;

namespace CoreConsole.Web.ComponentTests.Subnets;

public sealed class SubnetPagesTests : BunitContext
{
    private static readonly Guid SubnetA = Guid.NewGuid();
    private static readonly Guid SubnetB = Guid.NewGuid();
    private static readonly Guid AgentX = Guid.NewGuid();
    private readonly ISender _sender = Substitute.For<ISender>();
    private readonly BunitAuthorizationContext _auth;

    private static readonly SubnetServiceRow Serving = new(SubnetA, "10.0.1.0/24", "Lab", SubnetSource.Discovered, true, SubnetServiceState.Serving, null, null,
        AgentX, "mac-mini-1", "10.0.1.7", 3, DateTimeOffset.UtcNow.AddSeconds(5), 2, 2, true, true);
    private static readonly SubnetServiceRow Waiting = new(SubnetB, "10.0.2.0/24", null, SubnetSource.Manual, true, SubnetServiceState.Electing,
        "1 agent on this subnet, but none has self-electing subnet services and the PXE service enabled in its installed agent setting.", null,
        null, null, null, 0, null, 1, 0, false, false);

    public SubnetPagesTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        Services.AddSingleton(_sender);
        Services.AddSingleton(Options.Create(new ElectionOptions()));
        Services.AddSingleton(TimeProvider.System);
        _auth = AddAuthorization();
        _auth.SetAuthorized("op@tests.example");
        _auth.SetRoles(Roles.Operator);
        _sender.Send(Arg.Any<ListSubnetServicesQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<SubnetServiceRow>>([Serving, Waiting]));
    }

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<SubnetServicesPage> cut, string cidr) =>
        cut.FindAll("tr").Single(r => r.TextContent.Contains(cidr, StringComparison.Ordinal));

    [Fact]
    public void The_list_shows_state_representative_candidates_and_the_whitelist_warning()
    {
        var cut = Render<SubnetServicesPage>();
        cut.WaitForAssertion(() => RowOf(cut, "10.0.1.0/24"));

        var serving = RowOf(cut, "10.0.1.0/24");
        serving.TextContent.ShouldContain("Serving");
        serving.TextContent.ShouldContain("mac-mini-1");
        serving.TextContent.ShouldContain("10.0.1.7 · term 3");
        serving.TextContent.ShouldContain("Outside whitelist");
        var waiting = RowOf(cut, "10.0.2.0/24");
        waiting.TextContent.ShouldContain("No candidate", Case.Sensitive, "nobody eligible is not an election under way");
        waiting.QuerySelector(".subnet-state")!.GetAttribute("data-state").ShouldBe("no-candidate");
        waiting.TextContent.ShouldContain("none has self-electing subnet services", Case.Sensitive);
        waiting.TextContent.ShouldContain("added by hand");
        cut.Find("#bulk-enable").HasAttribute("disabled").ShouldBeTrue("nothing selected yet");
    }

    [Theory]
    [InlineData(SubnetServiceState.Electing, false, "Electing")]
    [InlineData(SubnetServiceState.Electing, true, "No candidate")]
    [InlineData(SubnetServiceState.Serving, true, "Serving")] // a representative still serving its lease out
    public void The_state_chip_says_no_candidate_only_while_nobody_can_be_elected(SubnetServiceState state, bool noCandidate, string label)
    {
        var cut = Render<SubnetStateChip>(p => p.Add(c => c.State, state).Add(c => c.NoCandidate, noCandidate));
        cut.Find(".mud-chip").TextContent.Trim().ShouldBe(label);
    }

    [Fact]
    public void A_subnet_already_listed_is_refused_at_the_field()
    {
        _sender.Send(Arg.Any<AddSubnetCommand>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Result<Guid>>(Result<Guid>.Fail(Error.Validation(nameof(AddSubnetCommand.Cidr), "10.0.1.0/24 is already listed."))));
        var cut = Render<SubnetServicesPage>();
        cut.WaitForAssertion(() => RowOf(cut, "10.0.1.0/24"));

        cut.Find("#add-subnet-cidr").Input("10.0.1.0/24");
        cut.Find("#add-subnet").Click();

        cut.WaitForAssertion(() => cut.Find(".mud-input-control.mud-input-error").TextContent.ShouldContain("10.0.1.0/24 is already listed."));
        _sender.Received(1).Send(Arg.Is<AddSubnetCommand>(c => c.Cidr == "10.0.1.0/24"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Switching_PXE_on_a_row_sends_the_command_for_that_subnet()
    {
        _sender.Send(Arg.Any<SetPxeEnabledCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result<int>>(Result<int>.Ok(1)));
        var cut = Render<SubnetServicesPage>();
        cut.WaitForAssertion(() => RowOf(cut, "10.0.1.0/24"));

        RowOf(cut, "10.0.1.0/24").QuerySelector("input[type=checkbox].mud-switch-input")!.Change(false);

        _sender.Received(1).Send(Arg.Is<SetPxeEnabledCommand>(c => !c.Enabled && c.SubnetIds.Single() == SubnetA), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void A_viewer_can_look_but_not_change()
    {
        _auth.SetRoles(Roles.Viewer);
        var cut = Render<SubnetServicesPage>();
        cut.WaitForAssertion(() => RowOf(cut, "10.0.1.0/24"));

        cut.FindAll("#bulk-enable").ShouldBeEmpty();
        cut.FindAll("#add-subnet").ShouldBeEmpty();
        RowOf(cut, "10.0.1.0/24").QuerySelector("input.mud-switch-input")!.HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public void The_detail_page_shows_candidates_history_and_the_warning_and_pins_from_the_console()
    {
        var detail = new SubnetDetail(Serving,
            [
                new CandidateView(AgentX, "mac-mini-1", "10.0.1.7", AgentPreference.None, CandidateStatus.Eligible, 80, ["wired link +40"], DateTimeOffset.UtcNow, true, 1),
                new CandidateView(Guid.NewGuid(), "imac-2", "10.0.1.8", AgentPreference.None, CandidateStatus.Offline, 60, [], DateTimeOffset.UtcNow.AddHours(-2), false, 2),
            ],
            [new ElectionEventView(DateTimeOffset.UtcNow, 3, ElectionEventKind.Elected, "imac-2", "mac-mini-1", "lease of imac-2 lapsed", [])],
            new WhitelistView(["10.0.1.7", "10.0.1.8"], ["10.0.1.8"], DateTimeOffset.UtcNow, "admin@tests.example", ["csrutil netboot add 10.0.1.8"],
                "The representative mac-mini-1 (10.0.1.7) is outside the published whitelist", null));
        _sender.Send(Arg.Any<GetSubnetDetailQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<SubnetDetail?>(detail));
        _sender.Send(Arg.Any<SetAgentPreferenceCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result>(Result.Ok()));

        var cut = Render<SubnetDetailPage>(p => p.Add(x => x.SubnetId, SubnetA));
        cut.WaitForAssertion(() => cut.Find("#whitelist-warning"));

        cut.Find("#whitelist-warning").TextContent.ShouldContain("outside the published whitelist");
        cut.Find("#whitelist-commands").TextContent.ShouldContain("csrutil netboot add 10.0.1.8");
        cut.Find("#history-table").TextContent.ShouldContain("lease of imac-2 lapsed");
        var offline = cut.FindAll("tr.candidate-row").Single(r => r.TextContent.Contains("imac-2"));
        offline.TextContent.ShouldContain("offline");
        offline.QuerySelector("button.pin-button")!.Click();

        _sender.Received(1).Send(Arg.Is<SetAgentPreferenceCommand>(c => c.Preference == AgentPreference.Pinned && c.AgentId != AgentX), Arg.Any<CancellationToken>());
    }
}

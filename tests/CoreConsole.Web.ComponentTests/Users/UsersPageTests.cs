using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using CoreConsole.Web.Features.Users;

namespace CoreConsole.Web.ComponentTests.Users;

public sealed class UsersPageTests : MudTestContext
{
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
    private static readonly UserRow Active = new("u-1", "alice@tests.example", "Alice", Roles.Administrator, false, false, Created, "stamp-1");
    private static readonly UserRow Disabled = new("u-2", "bob@tests.example", null, Roles.Operator, true, false, Created, "stamp-2");
    private static readonly UserRow LockedOut = new("u-3", "carol@tests.example", "Carol", Roles.Viewer, false, true, Created, "stamp-3");

    public UsersPageTests()
    {
        Auth.SetAuthorized("alice@tests.example");
        Auth.SetRoles(Roles.Administrator);
        Sender.Send(Arg.Any<ListUsersQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<UserRow>>([Active, Disabled, LockedOut]));
    }

    private IRenderedComponent<UsersPage> RenderPage()
    {
        Render<MudBlazor.MudPopoverProvider>();
        return Render<UsersPage>();
    }

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<UsersPage> cut, string email) =>
        cut.FindAll("tr").Single(r => r.QuerySelectorAll("td").Any(td => td.TextContent.Trim() == email));

    [Fact]
    public void Lists_the_users_the_mediator_returns_with_their_state()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => cut.FindAll("tr").Count(r => r.TextContent.Contains("@tests.example", StringComparison.Ordinal)).ShouldBe(3));
        RowOf(cut, Active.Email).TextContent.ShouldContain("Active");
        RowOf(cut, Active.Email).TextContent.ShouldContain("Alice");
        RowOf(cut, Disabled.Email).TextContent.ShouldContain("Disabled");
        RowOf(cut, LockedOut.Email).TextContent.ShouldContain("Locked out");
        RowOf(cut, Active.Email).TextContent.ShouldContain(Created.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.CurrentCulture));
        Sender.Received(1).Send(Arg.Any<ListUsersQuery>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public void Disabled_users_offer_enable_and_others_offer_disable()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => RowOf(cut, Disabled.Email));

        RowOf(cut, Disabled.Email).QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ShouldContain("Enable");
        RowOf(cut, Active.Email).QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ShouldContain("Disable");
    }

    [Fact]
    public async Task Disabling_a_user_sends_the_command_with_the_stamp_the_page_showed_and_reloads()
    {
        Sender.Send(Arg.Any<SetUserDisabledCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result>(Result.Ok()));
        var cut = RenderPage();
        cut.WaitForAssertion(() => RowOf(cut, LockedOut.Email));

        RowOf(cut, LockedOut.Email).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Disable").Click();

        await Sender.Received(1).Send(new SetUserDisabledCommand(LockedOut.Id, true, LockedOut.ConcurrencyStamp), Arg.Any<CancellationToken>());
        cut.WaitForAssertion(() => Sender.Received(2).Send(Arg.Any<ListUsersQuery>(), Arg.Any<CancellationToken>()));
    }

    [Fact]
    public void A_refused_change_is_reported_with_the_reason()
    {
        Sender.Send(Arg.Any<SetUserDisabledCommand>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Result>(Error.Conflict("This is the last active administrator; it cannot be disabled.")));
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var cut = RenderPage();
        cut.WaitForAssertion(() => RowOf(cut, Active.Email));

        RowOf(cut, Active.Email).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Disable").Click();

        snackbars.WaitForAssertion(() => snackbars.Markup.ShouldContain("last active administrator"));
    }
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.Users;
using SetupPage = CoreConsole.Web.Components.Account.Setup;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Web.ComponentTests.Account;

/// <summary>
/// The first-run setup page (a static SSR form) rendered with bUnit: the mediator and Identity's managers are
/// substitutes, so these tests cover what the page shows and sends, not the HTTP form post itself.
/// </summary>
public sealed class SetupPageTests : MudTestContext
{
    private readonly UserManager<AppUser> _users = Substitute.For<UserManager<AppUser>>(
        Substitute.For<IUserStore<AppUser>>(), null!, null!, null!, null!, null!, null!, null!, null!);
    private readonly SignInManager<AppUser> _signIn;

    public SetupPageTests()
    {
        _signIn = Substitute.For<SignInManager<AppUser>>(
            _users, Substitute.For<IHttpContextAccessor>(), Substitute.For<IUserClaimsPrincipalFactory<AppUser>>(), null!, null!, null!, null!);
        Services.AddSingleton(_users);
        Services.AddSingleton(_signIn);
        SetupOpen(true);
    }

    private void SetupOpen(bool open) =>
        Sender.Send(Arg.Any<GetSetupStateQuery>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<bool>(open));

    private void SetupReplies(Result<string> result) =>
        Sender.Send(Arg.Any<CreateFirstAdministratorCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result<string>>(result));

    private IRenderedComponent<SetupPage> Submit(string email, string password, string confirm)
    {
        var cut = Render<SetupPage>();
        cut.Find("#email").Change(email);
        cut.Find("#password").Change(password);
        cut.Find("#confirm").Change(confirm);
        cut.Find("form").Submit();
        return cut;
    }

    private static string MessageAfter(IRenderedComponent<SetupPage> cut, string inputId)
    {
        // ValidationMessage renders <div class="validation-message"> right after its input.
        var next = cut.Find($"#{inputId}").NextElementSibling;
        return next is { ClassName: "validation-message" } ? next.TextContent : "";
    }

    [Fact]
    public void While_setup_is_open_the_form_is_shown()
    {
        var cut = Render<SetupPage>();
        cut.Find("h1").TextContent.ShouldBe("Create the first administrator");
        cut.Find("#create-admin").ShouldNotBeNull();
    }

    [Fact]
    public void Once_an_administrator_exists_the_page_says_setup_is_done_and_offers_sign_in()
    {
        SetupOpen(false);
        var cut = Render<SetupPage>();
        cut.Find("h1").TextContent.ShouldBe("Setup is done");
        cut.FindAll("form").ShouldBeEmpty();
        cut.Find("a").GetAttribute("href").ShouldBe("Account/Login");
    }

    [Fact]
    public void Field_errors_from_the_pipeline_appear_next_to_their_fields_and_nobody_is_signed_in()
    {
        SetupReplies(Error.Validation(new Dictionary<string, string[]>
        {
            ["Email"] = ["Enter a valid email address."],
            ["ConfirmPassword"] = ["The passwords do not match."],
        }));

        var cut = Submit("not-an-email", "Str0ngPassword", "Different1Password");

        MessageAfter(cut, "email").ShouldBe("Enter a valid email address.");
        MessageAfter(cut, "confirm").ShouldBe("The passwords do not match.");
        MessageAfter(cut, "password").ShouldBeEmpty();
        cut.FindAll("[role=alert]").ShouldBeEmpty();
        _signIn.DidNotReceive().SignInAsync(Arg.Any<AppUser>(), Arg.Any<bool>(), Arg.Any<string?>());
    }

    [Fact]
    public void The_command_carries_the_trimmed_email_and_both_passwords()
    {
        SetupReplies(Error.Validation("Password", "Use at least one digit."));

        var cut = Submit("  admin@tests.example ", "NoDigitsHere", "NoDigitsHere");

        Sender.Received(1).Send(new CreateFirstAdministratorCommand("admin@tests.example", "NoDigitsHere", "NoDigitsHere"), Arg.Any<CancellationToken>());
        MessageAfter(cut, "password").ShouldBe("Use at least one digit.");
    }

    [Fact]
    public void An_error_without_fields_is_shown_as_one_message()
    {
        SetupReplies(Error.Failure("The database is not reachable."));

        var cut = Submit("admin@tests.example", "Str0ngPassword", "Str0ngPassword");

        cut.Find("[role=alert]").TextContent.ShouldBe("The database is not reachable.");
    }

    [Fact]
    public void If_someone_else_finished_setup_first_the_page_switches_to_setup_is_done()
    {
        SetupReplies(Error.Conflict("Setup is already done: an administrator exists. Sign in instead."));

        var cut = Submit("admin@tests.example", "Str0ngPassword", "Str0ngPassword");

        cut.Find("h1").TextContent.ShouldBe("Setup is done");
    }

    [Fact]
    public async Task Successful_setup_signs_the_new_administrator_in_and_goes_to_the_dashboard()
    {
        var admin = new AppUser { Id = "admin-id", Email = "admin@tests.example" };
        SetupReplies("admin-id");
        _users.FindByIdAsync("admin-id").Returns(admin);

        Submit("admin@tests.example", "Str0ngPassword", "Str0ngPassword");

        await _signIn.Received(1).SignInAsync(admin, false, null);
        new Uri(Services.GetRequiredService<NavigationManager>().Uri).AbsolutePath.ShouldBe("/");
    }
}

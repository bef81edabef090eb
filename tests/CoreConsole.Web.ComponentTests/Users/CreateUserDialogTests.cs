using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using CoreConsole.Web.Features.Users;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CoreConsole.Web.ComponentTests.Users;

public sealed class CreateUserDialogTests : MudTestContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync()
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<CreateUserDialog>("Add user"));
        provider.WaitForAssertion(() => provider.Find("#create-user"));
        return (provider, dialog);
    }

    private static void Type(IRenderedComponent<MudDialogProvider> provider, string id, string value) =>
        provider.Find($"#{id}").Input(value);

    [Fact]
    public async Task Invalid_input_shows_field_errors_and_sends_nothing()
    {
        var (provider, dialog) = await OpenAsync();
        Type(provider, "new-user-email", "not-an-email");
        Type(provider, "new-user-password", "short");

        provider.Find("#create-user").Click();

        provider.WaitForAssertion(() =>
        {
            var errors = provider.FindAll(".mud-input-helper-text.mud-input-error, .mud-input-error").Select(e => e.TextContent).ToList();
            errors.ShouldContain(e => e.Contains("Enter a valid email address.", StringComparison.Ordinal));
            errors.ShouldContain(e => e.Contains("Use at least 12 characters.", StringComparison.Ordinal));
        });
        await Sender.DidNotReceive().Send(Arg.Any<CreateUserCommand>(), Arg.Any<CancellationToken>());
        dialog.Result.IsCompleted.ShouldBeFalse("the dialog stays open");
    }

    [Fact]
    public async Task An_empty_form_sends_nothing()
    {
        var (provider, _) = await OpenAsync();

        provider.Find("#create-user").Click();

        provider.WaitForAssertion(() => provider.Markup.ShouldContain("Enter an email address."));
        await Sender.DidNotReceive().Send(Arg.Any<CreateUserCommand>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Valid_input_sends_the_command_and_closes_with_the_new_id()
    {
        Sender.Send(Arg.Any<CreateUserCommand>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<Result<string>>(Result<string>.Ok("new-id")));
        var (provider, dialog) = await OpenAsync();
        Type(provider, "new-user-email", "  new.user@tests.example ");
        Type(provider, "new-user-password", "Str0ngPassword");

        provider.Find("#create-user").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5), Xunit.TestContext.Current.CancellationToken);
        result!.Canceled.ShouldBeFalse();
        result.Data.ShouldBe("new-id");
        await Sender.Received(1).Send(new CreateUserCommand("new.user@tests.example", null, Roles.Viewer, "Str0ngPassword"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_refusal_from_the_server_is_shown_and_the_dialog_stays_open()
    {
        Sender.Send(Arg.Any<CreateUserCommand>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<Result<string>>(Error.Validation("Email", "A user with this email already exists.")));
        var (provider, dialog) = await OpenAsync();
        Type(provider, "new-user-email", "taken@tests.example");
        Type(provider, "new-user-password", "Str0ngPassword");

        provider.Find("#create-user").Click();

        provider.WaitForAssertion(() => provider.Find(".mud-alert").TextContent.ShouldContain("A user with this email already exists."));
        dialog.Result.IsCompleted.ShouldBeFalse();
    }
}

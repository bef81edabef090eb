using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Users;

/// <summary>
/// First-run setup: creates the first Administrator, allowed only while there are no users at all.
/// Sent by the setup page (anonymous) and, headless, at start-up from Setup:AdminEmail / Setup:AdminPassword.
/// </summary>
public sealed record CreateFirstAdministratorCommand(string Email, [property: NotAudited] string Password, [property: NotAudited] string ConfirmPassword)
    : ICommand<Result<string>>, IAuditedCommand, IAllowAnonymous;

/// <summary>Messages that may run before anyone can sign in (first-run setup only).</summary>
public interface IAllowAnonymous;

public sealed class CreateFirstAdministratorValidator : AbstractValidator<CreateFirstAdministratorCommand>
{
    public CreateFirstAdministratorValidator()
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Enter an email address.")
            .EmailAddress().WithMessage("Enter a valid email address.").MaximumLength(256);
        RuleFor(x => x.Password).SetValidator(new PasswordRules());
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage("The passwords do not match.");
    }
}

/// <summary>The password policy, stated once for forms and Identity alike (Identity enforces the same options).</summary>
public sealed class PasswordRules : AbstractValidator<string>
{
    public const int MinLength = 12;
    public PasswordRules()
    {
        // An empty password gets one message; a weak one gets every rule it breaks, so the admin fixes it in one go.
        RuleFor(p => p).NotEmpty().WithMessage("Enter a password.");
        When(p => !string.IsNullOrEmpty(p), () =>
            RuleFor(p => p)
                .MinimumLength(MinLength).WithMessage($"Use at least {MinLength} characters.")
                .Matches("[A-Z]").WithMessage("Use at least one upper-case letter.")
                .Matches("[a-z]").WithMessage("Use at least one lower-case letter.")
                .Matches("[0-9]").WithMessage("Use at least one digit.")
                .MaximumLength(128));
    }
}

public sealed class CreateFirstAdministratorHandler(UserAccounts accounts, TimeProvider clock)
    : ICommandHandler<CreateFirstAdministratorCommand, Result<string>>
{
    public async ValueTask<Result<string>> Handle(CreateFirstAdministratorCommand command, CancellationToken ct) =>
        await accounts.RunAsync<Result<string>>(async users =>
        {
            if (await users.Users.AnyAsync(ct))
                return Error.Conflict("Setup is already done: an administrator exists. Sign in instead.");

            var user = new Common.Persistence.AppUser { UserName = command.Email, Email = command.Email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, command.Password);
            if (!created.Succeeded) return Error.Validation(nameof(command.Password), UserAccounts.Describe(created));
            await users.AddToRoleAsync(user, Roles.Administrator);
            AuditTrail.Record("User", user.Id, null, new { user.Email, Role = Roles.Administrator }, "First administrator created");
            return user.Id;
        });
}

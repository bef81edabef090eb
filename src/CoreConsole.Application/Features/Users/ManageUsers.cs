using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CoreConsole.Application.Features.Users;

// The Users page's commands. All need an Administrator; all are audited (passwords never are).

[RequiresRole(Roles.Administrator)]
public sealed record CreateUserCommand(string Email, string? DisplayName, string Role, [property: NotAudited] string Password)
    : ICommand<Result<string>>, IAuditedCommand;

[RequiresRole(Roles.Administrator)]
public sealed record ChangeUserRoleCommand(string UserId, string Role, string ConcurrencyStamp) : ICommand<Result>, IAuditedCommand;

[RequiresRole(Roles.Administrator)]
public sealed record SetUserDisabledCommand(string UserId, bool Disabled, string ConcurrencyStamp) : ICommand<Result>, IAuditedCommand;

[RequiresRole(Roles.Administrator)]
public sealed record ResetUserPasswordCommand(string UserId, [property: NotAudited] string NewPassword) : ICommand<Result>, IAuditedCommand;

public sealed class CreateUserValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserValidator()
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Enter an email address.")
            .EmailAddress().WithMessage("Enter a valid email address.").MaximumLength(256);
        RuleFor(x => x.DisplayName).MaximumLength(128);
        RuleFor(x => x.Role).Must(r => Roles.All.Contains(r)).WithMessage("Choose Administrator, Operator or Viewer.");
        RuleFor(x => x.Password).SetValidator(new PasswordRules());
    }
}

public sealed class ChangeUserRoleValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleValidator()
    {
        RuleFor(x => x.UserId).NotEmpty();
        RuleFor(x => x.Role).Must(r => Roles.All.Contains(r)).WithMessage("Choose Administrator, Operator or Viewer.");
    }
}

public sealed class ResetUserPasswordValidator : AbstractValidator<ResetUserPasswordCommand>
{
    public ResetUserPasswordValidator()
    {
        RuleFor(x => x.UserId).NotEmpty();
        RuleFor(x => x.NewPassword).SetValidator(new PasswordRules());
    }
}

public sealed class ManageUsersHandler(UserAccounts accounts, ICurrentUser currentUser, TimeProvider clock) :
    ICommandHandler<CreateUserCommand, Result<string>>,
    ICommandHandler<ChangeUserRoleCommand, Result>,
    ICommandHandler<SetUserDisabledCommand, Result>,
    ICommandHandler<ResetUserPasswordCommand, Result>
{
    public async ValueTask<Result<string>> Handle(CreateUserCommand c, CancellationToken ct) =>
        await accounts.RunAsync<Result<string>>(async users =>
        {
            if (await users.FindByEmailAsync(c.Email) is not null)
                return Error.Validation(nameof(c.Email), "A user with this email already exists.");
            var user = new AppUser { UserName = c.Email, Email = c.Email, DisplayName = c.DisplayName, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, c.Password);
            if (!created.Succeeded) return Error.Validation(nameof(c.Password), UserAccounts.Describe(created));
            await users.AddToRoleAsync(user, c.Role);
            AuditTrail.Record("User", user.Id, null, new { user.Email, user.DisplayName, c.Role }, $"{user.Email} created as {c.Role}");
            return user.Id;
        });

    public async ValueTask<Result> Handle(ChangeUserRoleCommand c, CancellationToken ct) =>
        await accounts.RunAsync<Result>(async users =>
        {
            var user = await users.FindByIdAsync(c.UserId);
            if (user is null) return Error.NotFound("The user");
            if (IsStale(user, c.ConcurrencyStamp)) return StaleUser;
            var before = (await users.GetRolesAsync(user)).FirstOrDefault() ?? Roles.Viewer;
            if (before == c.Role) return Result.Ok();
            if (before == Roles.Administrator && await IsLastActiveAdministratorAsync(users, user))
                return Error.Conflict("This is the last active administrator; make another user an administrator first.");
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return Stale(updated);
            await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
            await users.AddToRoleAsync(user, c.Role);
            await users.UpdateSecurityStampAsync(user); // sessions pick up the new role
            AuditTrail.Record("User", user.Id, new { Role = before }, new { c.Role }, $"{user.Email}: {before} → {c.Role}");
            return Result.Ok();
        });

    public async ValueTask<Result> Handle(SetUserDisabledCommand c, CancellationToken ct) =>
        await accounts.RunAsync<Result>(async users =>
        {
            var user = await users.FindByIdAsync(c.UserId);
            if (user is null) return Error.NotFound("The user");
            if (IsStale(user, c.ConcurrencyStamp)) return StaleUser;
            var me = await currentUser.GetAsync(ct);
            if (c.Disabled && user.Id == me.UserId) return Error.Conflict("You cannot disable your own account.");
            if (c.Disabled && await IsLastActiveAdministratorAsync(users, user))
                return Error.Conflict("This is the last active administrator; it cannot be disabled.");
            var before = user.IsDisabled;
            user.IsDisabled = c.Disabled;
            // Lockout is what Identity's sign-in checks; a disabled user is locked out for good.
            user.LockoutEnabled = true;
            user.LockoutEnd = c.Disabled ? DateTimeOffset.MaxValue : null;
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded) return Stale(updated);
            await users.UpdateSecurityStampAsync(user); // signs the user out everywhere at the next validation
            AuditTrail.Record("User", user.Id, new { Disabled = before }, new { c.Disabled }, $"{user.Email} {(c.Disabled ? "disabled" : "enabled")}");
            return Result.Ok();
        });

    public async ValueTask<Result> Handle(ResetUserPasswordCommand c, CancellationToken ct) =>
        await accounts.RunAsync<Result>(async users =>
        {
            var user = await users.FindByIdAsync(c.UserId);
            if (user is null) return Error.NotFound("The user");
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var reset = await users.ResetPasswordAsync(user, token, c.NewPassword);
            if (!reset.Succeeded) return Error.Validation(nameof(c.NewPassword), UserAccounts.Describe(reset));
            await users.ResetAccessFailedCountAsync(user);
            if (!user.IsDisabled) await users.SetLockoutEndDateAsync(user, null);
            AuditTrail.Record("User", user.Id, null, null, $"Password reset for {user.Email}");
            return Result.Ok();
        });

    private static async Task<bool> IsLastActiveAdministratorAsync(UserManager<AppUser> users, AppUser user)
    {
        if (!await users.IsInRoleAsync(user, Roles.Administrator)) return false;
        var admins = await users.GetUsersInRoleAsync(Roles.Administrator);
        return admins.Count(a => !a.IsDisabled) <= 1 && !user.IsDisabled;
    }

    private static readonly Error StaleUser = Error.Conflict("Someone else changed this user while you were looking. Reload and try again.");

    /// <summary>
    /// The stamp the caller saw must be the stored one. (Assigning it to the tracked user does not work: EF checks the
    /// original value it loaded, and UserStore.UpdateAsync replaces the current value anyway.) UpdateAsync's own
    /// concurrency check still covers a change that lands between this load and the save.
    /// </summary>
    private static bool IsStale(AppUser user, string seenStamp) => !string.Equals(user.ConcurrencyStamp, seenStamp, StringComparison.Ordinal);

    private static Result Stale(IdentityResult r) =>
        r.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
            ? StaleUser
            : Error.Failure(UserAccounts.Describe(r));
}

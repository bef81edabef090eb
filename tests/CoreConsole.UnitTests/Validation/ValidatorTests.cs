using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using CsCheck;
using FluentValidation.Results;

namespace CoreConsole.UnitTests.Validation;

public sealed class PasswordRulesTests
{
    private static readonly PasswordRules Rules = new();

    [Theory]
    [InlineData("Abcdefghijk1")]              // exactly the minimum length
    [InlineData("Correct Horse Battery 9")]
    [InlineData("ÄÖÜabcdefghX9")]
    public void A_long_mixed_case_password_with_a_digit_is_accepted(string password) =>
        Rules.Validate(password).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("", "Enter a password.")]
    [InlineData("Abcdefghij1", "Use at least 12 characters.")]
    [InlineData("abcdefghijk1", "Use at least one upper-case letter.")]
    [InlineData("ABCDEFGHIJK1", "Use at least one lower-case letter.")]
    [InlineData("Abcdefghijkl", "Use at least one digit.")]
    public void A_weak_password_is_rejected_with_the_reason(string password, string message) =>
        Rules.Validate(password).Errors.Select(e => e.ErrorMessage).ShouldContain(message);

    [Fact]
    public void Passwords_longer_than_128_characters_are_rejected() =>
        Rules.Validate("Aa1" + new string('x', 126)).IsValid.ShouldBeFalse();

    [Fact]
    public void Any_password_with_upper_lower_digit_and_enough_length_is_accepted()
    {
        var gen = Gen.Select(Gen.Char['A', 'Z'], Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.String[Gen.Char.AlphaNumeric, 9, 100])
            .Select((u, l, d, rest) => $"{rest}{u}{l}{d}");
        gen.Sample(p => Rules.Validate(p).IsValid);
    }

    [Fact]
    public void Any_password_shorter_than_the_minimum_is_rejected() =>
        Gen.String[Gen.Char.AlphaNumeric, 0, PasswordRules.MinLength - 1]
            .Sample(p => !Rules.Validate(p).IsValid);
}

public sealed class CreateFirstAdministratorValidatorTests
{
    private static readonly CreateFirstAdministratorValidator Validator = new();
    private const string Good = "Str0ngPassword!";

    [Fact]
    public void Valid_setup_input_passes() =>
        Validator.Validate(new CreateFirstAdministratorCommand("admin@example.test", Good, Good)).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("", "Enter an email address.")]
    [InlineData("not-an-email", "Enter a valid email address.")]
    public void A_missing_or_malformed_email_is_reported_on_the_email_field(string email, string message) =>
        Validator.Validate(new CreateFirstAdministratorCommand(email, Good, Good))
            .ShouldHaveOnly(nameof(CreateFirstAdministratorCommand.Email), message);

    [Fact]
    public void Mismatched_confirmation_is_reported_on_the_confirmation_field() =>
        Validator.Validate(new CreateFirstAdministratorCommand("admin@example.test", Good, Good + "x"))
            .ShouldHaveOnly(nameof(CreateFirstAdministratorCommand.ConfirmPassword), "The passwords do not match.");

    [Fact]
    public void A_weak_password_is_reported_on_the_password_field()
    {
        var result = Validator.Validate(new CreateFirstAdministratorCommand("admin@example.test", "short", "short"));
        result.Errors.ShouldNotBeEmpty();
        result.Errors.ShouldAllBe(e => e.PropertyName == nameof(CreateFirstAdministratorCommand.Password));
    }
}

public sealed class CreateUserValidatorTests
{
    private static readonly CreateUserValidator Validator = new();
    private static CreateUserCommand Valid => new("op@example.test", "Operator One", Roles.Operator, "Str0ngPassword");

    [Fact]
    public void A_complete_new_user_passes() => Validator.Validate(Valid).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("Administrator")]
    [InlineData("Operator")]
    [InlineData("Viewer")]
    public void Every_console_role_is_accepted(string role) => Validator.Validate(Valid with { Role = role }).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("administrator")]
    [InlineData("Root")]
    public void An_unknown_role_is_rejected(string role) =>
        Validator.Validate(Valid with { Role = role }).ShouldHaveOnly(nameof(CreateUserCommand.Role), "Choose Administrator, Operator or Viewer.");

    [Fact]
    public void A_display_name_over_128_characters_is_rejected() =>
        Validator.Validate(Valid with { DisplayName = new string('n', 129) }).Errors.ShouldHaveSingleItem()
            .PropertyName.ShouldBe(nameof(CreateUserCommand.DisplayName));

    [Fact]
    public void No_display_name_is_fine() => Validator.Validate(Valid with { DisplayName = null }).IsValid.ShouldBeTrue();

    [Fact]
    public void Password_rule_failures_are_reported_on_the_password_field_one_message_per_rule()
    {
        var result = Validator.Validate(Valid with { Password = "abc" });
        result.Errors.ShouldAllBe(e => e.PropertyName == nameof(CreateUserCommand.Password));
        result.Errors.Select(e => e.ErrorMessage).ShouldBe(
            ["Use at least 12 characters.", "Use at least one upper-case letter.", "Use at least one digit."], ignoreOrder: true);
    }

    [Theory]
    [InlineData("", "Enter an email address.")]
    [InlineData("op.example.test", "Enter a valid email address.")]
    public void A_missing_or_malformed_email_is_rejected_with_one_message(string email, string message) =>
        Validator.Validate(Valid with { Email = email }).ShouldHaveOnly(nameof(CreateUserCommand.Email), message);
}

public sealed class ChangeUserRoleValidatorTests
{
    private static readonly ChangeUserRoleValidator Validator = new();

    [Fact]
    public void A_known_user_and_role_pass() =>
        Validator.Validate(new ChangeUserRoleCommand("u1", Roles.Viewer, "stamp")).IsValid.ShouldBeTrue();

    [Fact]
    public void A_missing_user_id_is_rejected() =>
        Validator.Validate(new ChangeUserRoleCommand("", Roles.Viewer, "stamp")).Errors.ShouldHaveSingleItem()
            .PropertyName.ShouldBe(nameof(ChangeUserRoleCommand.UserId));

    [Fact]
    public void An_unknown_role_is_rejected() =>
        Validator.Validate(new ChangeUserRoleCommand("u1", "Superuser", "stamp"))
            .ShouldHaveOnly(nameof(ChangeUserRoleCommand.Role), "Choose Administrator, Operator or Viewer.");
}

public sealed class ResetUserPasswordValidatorTests
{
    private static readonly ResetUserPasswordValidator Validator = new();

    [Fact]
    public void A_strong_new_password_passes() =>
        Validator.Validate(new ResetUserPasswordCommand("u1", "Str0ngPassword")).IsValid.ShouldBeTrue();

    [Fact]
    public void A_weak_new_password_is_reported_on_the_new_password_field()
    {
        var result = Validator.Validate(new ResetUserPasswordCommand("u1", "password"));
        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldAllBe(e => e.PropertyName == nameof(ResetUserPasswordCommand.NewPassword));
    }

    [Fact]
    public void A_missing_user_id_is_rejected() =>
        Validator.Validate(new ResetUserPasswordCommand("", "Str0ngPassword")).Errors.ShouldHaveSingleItem()
            .PropertyName.ShouldBe(nameof(ResetUserPasswordCommand.UserId));
}

internal static class ValidationAssertions
{
    public static void ShouldHaveOnly(this ValidationResult result, string property, string message)
    {
        var error = result.Errors.ShouldHaveSingleItem();
        error.PropertyName.ShouldBe(property);
        error.ErrorMessage.ShouldBe(message);
    }
}

public sealed class PasswordRulesEmptyTests
{
    [Fact]
    public void An_empty_password_gets_one_message_not_every_rule()
    {
        var result = new CoreConsole.Application.Features.Users.PasswordRules().Validate("");
        result.Errors.Select(e => e.ErrorMessage).ShouldBe(["Enter a password."]);
    }
}

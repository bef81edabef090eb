using CoreConsole.Application.Common.Behaviors;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using FluentValidation;
using Mediator;

namespace CoreConsole.UnitTests.Behaviors;

public sealed class ValidationBehaviorTests
{
    private int _handlerCalls;

    private MessageHandlerDelegate<TMessage, TResponse> Next<TMessage, TResponse>(TResponse response) where TMessage : IMessage =>
        (_, _) => { _handlerCalls++; return new ValueTask<TResponse>(response); };

    [Fact]
    public async Task Invalid_input_becomes_a_validation_result_with_errors_grouped_by_field_and_the_handler_does_not_run()
    {
        var behavior = new ValidationBehavior<CreateUserCommand, Result<string>>([new CreateUserValidator()]);

        var result = await behavior.Handle(new CreateUserCommand("nope", null, "Root", "abc"), Next<CreateUserCommand, Result<string>>("id"), CancellationToken.None);

        _handlerCalls.ShouldBe(0);
        var error = result.Error.ShouldNotBeNull();
        error.Kind.ShouldBe(ErrorKind.Validation);
        var fields = error.FieldErrors.ShouldNotBeNull();
        fields.Keys.ShouldBe(["Email", "Role", "Password"], ignoreOrder: true);
        fields["Email"].ShouldBe(["Enter a valid email address."]);
        fields["Password"].Length.ShouldBe(3); // one message per broken password rule, under one key
    }

    [Fact]
    public async Task Messages_from_several_validators_for_one_field_are_merged()
    {
        var extra = new InlineValidator<CreateUserCommand>();
        extra.RuleFor(c => c.Email).Must(e => !e.EndsWith("@blocked.test", StringComparison.Ordinal)).WithMessage("That domain is blocked.");
        var behavior = new ValidationBehavior<CreateUserCommand, Result<string>>([new CreateUserValidator(), extra]);

        var result = await behavior.Handle(new CreateUserCommand("", null, Roles.Viewer, "Str0ngPassword"), Next<CreateUserCommand, Result<string>>("id"), CancellationToken.None);
        result.Error!.FieldErrors!["Email"].ShouldBe(["Enter an email address."]);

        var blocked = await behavior.Handle(new CreateUserCommand("x@blocked.test", null, Roles.Viewer, "abc"), Next<CreateUserCommand, Result<string>>("id"), CancellationToken.None);
        blocked.Error!.FieldErrors!["Email"].ShouldBe(["That domain is blocked."]);
        blocked.Error.FieldErrors.ShouldContainKey("Password");
        _handlerCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Valid_input_reaches_the_handler()
    {
        var behavior = new ValidationBehavior<CreateUserCommand, Result<string>>([new CreateUserValidator()]);
        var result = await behavior.Handle(new CreateUserCommand("ok@example.test", null, Roles.Viewer, "Str0ngPassword"), Next<CreateUserCommand, Result<string>>("new-id"), CancellationToken.None);
        result.Value.ShouldBe("new-id");
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Messages_without_validators_reach_the_handler()
    {
        var behavior = new ValidationBehavior<ListUsersQuery, IReadOnlyList<UserRow>>([]);
        (await behavior.Handle(new ListUsersQuery(), Next<ListUsersQuery, IReadOnlyList<UserRow>>([]), CancellationToken.None)).ShouldBeEmpty();
        _handlerCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_messages_whose_response_is_not_a_result_throw_a_validation_exception()
    {
        var validator = new InlineValidator<ListUsersQuery>();
        validator.RuleFor(q => q).Must(_ => false).WithName("Query").WithMessage("never valid");
        var behavior = new ValidationBehavior<ListUsersQuery, IReadOnlyList<UserRow>>([validator]);

        var ex = await Should.ThrowAsync<ValidationException>(async () =>
            await behavior.Handle(new ListUsersQuery(), Next<ListUsersQuery, IReadOnlyList<UserRow>>([]), CancellationToken.None));
        ex.Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("never valid");
        _handlerCalls.ShouldBe(0);
    }
}

using CoreConsole.Application.Common.Behaviors;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.Users;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.UnitTests.Behaviors;

public sealed class ConcurrencyBehaviorTests
{
    private static MessageHandlerDelegate<TMessage, TResponse> Throws<TMessage, TResponse>(Exception ex) where TMessage : IMessage =>
        (_, _) => throw ex;

    private static readonly ChangeUserRoleCommand Change = new("u-1", "Viewer", "stale");

    [Fact]
    public async Task A_stale_save_becomes_a_conflict_result()
    {
        var result = await new ConcurrencyBehavior<ChangeUserRoleCommand, Result>()
            .Handle(Change, Throws<ChangeUserRoleCommand, Result>(new DbUpdateConcurrencyException("row changed")), CancellationToken.None);

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
        result.Error.Message.ShouldContain("Someone else changed this");
    }

    [Fact]
    public async Task A_stale_save_of_a_command_with_a_value_becomes_a_conflict_result()
    {
        var command = new CreateUserCommand("a@example.test", null, "Viewer", "Str0ngPassword");
        var result = await new ConcurrencyBehavior<CreateUserCommand, Result<string>>()
            .Handle(command, Throws<CreateUserCommand, Result<string>>(new DbUpdateConcurrencyException("row changed")), CancellationToken.None);
        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task Other_exceptions_are_not_turned_into_results()
    {
        await Should.ThrowAsync<DbUpdateException>(async () => await new ConcurrencyBehavior<ChangeUserRoleCommand, Result>()
            .Handle(Change, Throws<ChangeUserRoleCommand, Result>(new DbUpdateException("constraint")), CancellationToken.None));
    }

    [Fact]
    public async Task A_stale_save_in_a_message_without_a_result_response_still_throws()
    {
        await Should.ThrowAsync<DbUpdateConcurrencyException>(async () => await new ConcurrencyBehavior<ListUsersQuery, IReadOnlyList<UserRow>>()
            .Handle(new ListUsersQuery(), Throws<ListUsersQuery, IReadOnlyList<UserRow>>(new DbUpdateConcurrencyException("x")), CancellationToken.None));
    }

    [Fact]
    public async Task Successful_handlers_pass_through_unchanged()
    {
        var result = await new ConcurrencyBehavior<ChangeUserRoleCommand, Result>()
            .Handle(Change, (_, _) => new ValueTask<Result>(Result.Ok()), CancellationToken.None);
        result.IsSuccess.ShouldBeTrue();
    }
}

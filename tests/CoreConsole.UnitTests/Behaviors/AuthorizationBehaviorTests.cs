using CoreConsole.Application.Common.Behaviors;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using Mediator;
using NSubstitute;

namespace CoreConsole.UnitTests.Behaviors;

public sealed class AuthorizationBehaviorTests
{
    private static readonly CreateUserCommand CreateUser = new("new@example.test", null, Roles.Viewer, "Str0ngPassword");

    private static ICurrentUser As(UserContext user)
    {
        var current = Substitute.For<ICurrentUser>();
        current.GetAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<UserContext>(user));
        return current;
    }

    private static UserContext User(params string[] roles) => new("u-1", "someone@example.test", roles, true);

    /// <summary>A handler stand-in that records whether the pipeline let the message through.</summary>
    private sealed class Handler<TMessage, TResponse>(TResponse response) where TMessage : IMessage
    {
        public int Calls { get; private set; }
        public MessageHandlerDelegate<TMessage, TResponse> Next => (_, _) => { Calls++; return new ValueTask<TResponse>(response); };
    }

    [Fact]
    public async Task Anonymous_callers_are_denied_and_the_handler_does_not_run()
    {
        var handler = new Handler<CreateUserCommand, Result<string>>("id");
        var result = await new AuthorizationBehavior<CreateUserCommand, Result<string>>(As(UserContext.Anonymous))
            .Handle(CreateUser, handler.Next, CancellationToken.None);

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Kind.ShouldBe(ErrorKind.Forbidden);
        handler.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Anonymous_callers_are_denied_even_for_queries_without_a_role()
    {
        var handler = new Handler<ListUsersQuery, IReadOnlyList<UserRow>>([]);
        // A query's response is not a Result, so denial is an exception rather than a value.
        await Should.ThrowAsync<UnauthorizedAccessException>(async () =>
            await new AuthorizationBehavior<ListUsersQuery, IReadOnlyList<UserRow>>(As(UserContext.Anonymous))
                .Handle(new ListUsersQuery(), handler.Next, CancellationToken.None));
        handler.Calls.ShouldBe(0);
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public async Task Non_administrators_cannot_send_administrator_commands(string role)
    {
        var handler = new Handler<CreateUserCommand, Result<string>>("id");
        var result = await new AuthorizationBehavior<CreateUserCommand, Result<string>>(As(User(role)))
            .Handle(CreateUser, handler.Next, CancellationToken.None);

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        result.Error.Message.ShouldContain(Roles.Administrator);
        handler.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Viewer_cannot_change_roles_even_with_a_crafted_request()
    {
        var handler = new Handler<ChangeUserRoleCommand, Result>(Result.Ok());
        var result = await new AuthorizationBehavior<ChangeUserRoleCommand, Result>(As(User(Roles.Viewer)))
            .Handle(new ChangeUserRoleCommand("u-1", Roles.Administrator, "stamp"), handler.Next, CancellationToken.None);

        result.Error.ShouldNotBeNull().Kind.ShouldBe(ErrorKind.Forbidden);
        handler.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Administrators_may_send_administrator_commands()
    {
        var handler = new Handler<CreateUserCommand, Result<string>>("new-id");
        var result = await new AuthorizationBehavior<CreateUserCommand, Result<string>>(As(User(Roles.Administrator)))
            .Handle(CreateUser, handler.Next, CancellationToken.None);

        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe("new-id");
        handler.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Any_signed_in_user_may_send_a_message_without_a_role_requirement()
    {
        var handler = new Handler<ListAuditFacetsQueryProbe, int>(7);
        var result = await new AuthorizationBehavior<ListAuditFacetsQueryProbe, int>(As(User(Roles.Viewer)))
            .Handle(new ListAuditFacetsQueryProbe(), handler.Next, CancellationToken.None);
        result.ShouldBe(7);
        handler.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Anonymous_messages_pass_without_asking_who_the_user_is()
    {
        var current = As(UserContext.Anonymous);
        var handler = new Handler<CreateFirstAdministratorCommand, Result<string>>("admin-id");
        var result = await new AuthorizationBehavior<CreateFirstAdministratorCommand, Result<string>>(current)
            .Handle(new CreateFirstAdministratorCommand("a@example.test", "Str0ngPassword", "Str0ngPassword"), handler.Next, CancellationToken.None);

        result.IsSuccess.ShouldBeTrue();
        handler.Calls.ShouldBe(1);
        await current.DidNotReceive().GetAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_system_passes_administrator_checks()
    {
        var handler = new Handler<CreateUserCommand, Result<string>>("id");
        var result = await new AuthorizationBehavior<CreateUserCommand, Result<string>>(As(UserContext.System))
            .Handle(CreateUser, handler.Next, CancellationToken.None);

        result.IsSuccess.ShouldBeTrue();
        handler.Calls.ShouldBe(1);
    }

    [Fact]
    public void SystemContext_is_active_only_inside_its_scope_and_restores_the_previous_state()
    {
        SystemContext.IsActive.ShouldBeFalse();
        using (SystemContext.Enter())
        {
            SystemContext.IsActive.ShouldBeTrue();
            using (SystemContext.Enter()) SystemContext.IsActive.ShouldBeTrue();
            SystemContext.IsActive.ShouldBeTrue();
        }
        SystemContext.IsActive.ShouldBeFalse();
    }

    /// <summary>A query with no [RequiresRole]: any signed-in user may send it.</summary>
    public sealed record ListAuditFacetsQueryProbe : IQuery<int>;
}

using System.Reflection;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using Mediator;

namespace CoreConsole.Application.Common.Behaviors;

/// <summary>
/// Enforces [RequiresRole] where the change is handled, so a Viewer who crafts a request still changes nothing.
/// Every message needs a signed-in user (or the system); role checks apply where declared.
/// </summary>
public sealed class AuthorizationBehavior<TMessage, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private static readonly IReadOnlyList<string>? Required = typeof(TMessage).GetCustomAttribute<RequiresRoleAttribute>()?.Roles;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is Features.Users.IAllowAnonymous) return await next(message, ct);
        var user = await currentUser.GetAsync(ct);
        if (!user.IsAuthenticated)
            return Deny("You must sign in.");
        if (Required is { Count: > 0 } roles && !roles.Any(user.IsInRole))
            return Deny($"This needs the {string.Join(" or ", roles)} role.");
        return await next(message, ct);
    }

    private static TResponse Deny(string reason) =>
        ResultFactory<TResponse>.CanFail
            ? ResultFactory<TResponse>.Fail(Error.Forbidden(reason))
            : throw new UnauthorizedAccessException(reason);
}

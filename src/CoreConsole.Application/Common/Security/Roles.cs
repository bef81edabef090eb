namespace CoreConsole.Application.Common.Security;

/// <summary>The console's roles. Viewer reads everything and changes nothing.</summary>
public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string Operator = nameof(Operator);
    public const string Viewer = nameof(Viewer);

    public static readonly IReadOnlyList<string> All = [Administrator, Operator, Viewer];

    /// <summary>Roles that may change configuration (mappings, subnets, settings, tasks).</summary>
    public const string Editors = Administrator + "," + Operator;
}

/// <summary>
/// Declares which roles may send a message. Enforced by <c>AuthorizationBehavior</c> where the change is handled,
/// not only by hiding buttons. Messages without it may be sent by any signed-in user (queries).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresRoleAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Who is sending the current message.</summary>
public sealed record UserContext(string? UserId, string Name, IReadOnlyCollection<string> Roles, bool IsAuthenticated)
{
    public static readonly UserContext Anonymous = new(null, "anonymous", [], false);
    /// <summary>Background work (jobs, reconcilers, the agent API) acts as the system.</summary>
    public static readonly UserContext System = new(null, "system", [Security.Roles.Administrator], true);
    public bool IsInRole(string role) => Roles.Contains(role);
}

public interface ICurrentUser
{
    ValueTask<UserContext> GetAsync(CancellationToken ct = default);
}

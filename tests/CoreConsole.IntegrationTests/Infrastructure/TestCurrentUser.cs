using CoreConsole.Application.Common.Security;

namespace CoreConsole.IntegrationTests.Infrastructure;

/// <summary>
/// Replaces the web ICurrentUser in tests: whoever <see cref="ActAs"/> set on this async flow, the system inside
/// <see cref="SystemContext"/> (as the real one does), otherwise anonymous.
/// </summary>
public sealed class TestCurrentUser : ICurrentUser
{
    private static readonly AsyncLocal<UserContext?> Current = new();

    public ValueTask<UserContext> GetAsync(CancellationToken ct = default) =>
        new(SystemContext.IsActive ? UserContext.System : Current.Value ?? UserContext.Anonymous);

    public static IDisposable ActAs(UserContext user)
    {
        var previous = Current.Value;
        Current.Value = user;
        return new Restore(previous);
    }

    public static UserContext InRole(string role, string? name = null) =>
        new($"test-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", name ?? $"{role.ToLowerInvariant()}@tests.example", [role], true);

    private sealed class Restore(UserContext? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

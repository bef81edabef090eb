using CoreConsole.Application.Common.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Application.Features.Users;

/// <summary>
/// Runs Identity work in its own DI scope: UserManager holds a DbContext, and a Blazor circuit's scope lives for hours.
/// </summary>
public sealed class UserAccounts(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(Func<UserManager<AppUser>, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>());
    }

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}

public sealed record UserRow(string Id, string Email, string? DisplayName, string Role, bool IsDisabled, bool IsLockedOut, DateTimeOffset CreatedAt, string ConcurrencyStamp);

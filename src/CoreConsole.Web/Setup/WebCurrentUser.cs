using System.Security.Claims;
using CoreConsole.Application.Common.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace CoreConsole.Web.Setup;

/// <summary>
/// The signed-in user for the mediator pipeline: in a Blazor circuit from its authentication state, in an HTTP request
/// from HttpContext.User, and the system inside <see cref="SystemContext"/> (jobs, start-up, agent API).
/// </summary>
internal sealed class WebCurrentUser(IServiceProvider services, IHttpContextAccessor http) : ICurrentUser
{
    public async ValueTask<UserContext> GetAsync(CancellationToken ct = default)
    {
        if (SystemContext.IsActive) return UserContext.System;
        var principal = await CircuitPrincipalAsync() ?? http.HttpContext?.User;
        return From(principal);
    }

    private async Task<ClaimsPrincipal?> CircuitPrincipalAsync()
    {
        if (services.GetService<AuthenticationStateProvider>() is not { } provider) return null;
        try
        {
            return (await provider.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            return null; // not in a circuit: this scope belongs to a plain HTTP request
        }
    }

    internal static UserContext From(ClaimsPrincipal? p)
    {
        if (p?.Identity?.IsAuthenticated != true) return UserContext.Anonymous;
        var roles = p.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray();
        return new UserContext(p.FindFirstValue(ClaimTypes.NameIdentifier), p.Identity.Name ?? "unknown", roles, true);
    }
}

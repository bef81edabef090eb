using CoreConsole.Application.Common.Persistence;
using Microsoft.AspNetCore.Identity;

namespace CoreConsole.Web.Endpoints;

internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form POST with an antiforgery token (UseAntiforgery validates it); a GET cannot sign anyone out.
        app.MapPost("/Account/Logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
    }
}

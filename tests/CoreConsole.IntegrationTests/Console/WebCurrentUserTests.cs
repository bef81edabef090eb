using System.Security.Claims;
using CoreConsole.Application.Common.Security;
using CoreConsole.Web.Setup;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.Console;

/// <summary>The real ICurrentUser (replaced in the hosted tests): who the pipeline thinks is sending.</summary>
public sealed class WebCurrentUserTests
{
    private static WebCurrentUser For(ClaimsPrincipal? principal) =>
        new(new ServiceCollection().BuildServiceProvider(),
            new HttpContextAccessor { HttpContext = principal is null ? null : new DefaultHttpContext { User = principal } });

    private static ClaimsPrincipal SignedIn(string id, string name, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "test"));

    [Fact]
    public async Task A_signed_in_request_user_is_seen_with_id_name_and_roles()
    {
        var user = await For(SignedIn("u-7", "op@tests.example", Roles.Operator)).GetAsync(TestContext.Current.CancellationToken);
        user.IsAuthenticated.ShouldBeTrue();
        user.UserId.ShouldBe("u-7");
        user.Name.ShouldBe("op@tests.example");
        user.Roles.ShouldBe([Roles.Operator]);
        user.IsInRole(Roles.Administrator).ShouldBeFalse();
    }

    [Fact]
    public async Task Without_a_request_or_sign_in_the_user_is_anonymous()
    {
        (await For(null).GetAsync(TestContext.Current.CancellationToken)).ShouldBe(UserContext.Anonymous);
        (await For(new ClaimsPrincipal(new ClaimsIdentity())).GetAsync(TestContext.Current.CancellationToken)).IsAuthenticated.ShouldBeFalse();
    }

    [Fact]
    public async Task Inside_a_system_context_the_sender_is_the_system_even_during_a_viewers_request()
    {
        var current = For(SignedIn("u-1", "viewer@tests.example", Roles.Viewer));
        using (SystemContext.Enter())
            (await current.GetAsync(TestContext.Current.CancellationToken)).ShouldBe(UserContext.System);
        (await current.GetAsync(TestContext.Current.CancellationToken)).Name.ShouldBe("viewer@tests.example");
    }
}

using CoreConsole.Web.Components.Account;

namespace CoreConsole.Web.ComponentTests.Account;

/// <summary>After sign-in the console follows ?returnUrl=…; it must never send the browser to another site.</summary>
public sealed class SafeReturnUrlTests
{
    private static readonly Uri Console = new("https://console.tests.example/");

    /// <summary>
    /// Where the browser ends up: Login hands the result to NavigationManager.NavigateTo, which resolves it against the
    /// console's base URI and sends that absolute address.
    /// </summary>
    private static Uri Destination(string? returnUrl) => new(Console, Login.SafeReturnUrl(returnUrl));

    [Theory]
    [InlineData("/users", "/users")]
    [InlineData("users", "/users")]
    [InlineData("/audit?user=alice", "/audit?user=alice")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    public void Local_paths_are_kept(string? returnUrl, string expected) => Login.SafeReturnUrl(returnUrl).ShouldBe(expected);

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("/\\/evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http:evil.example")]
    public void Addresses_that_leave_the_console_become_the_dashboard(string returnUrl)
    {
        Destination(returnUrl).Host.ShouldBe(Console.Host, $"'{returnUrl}' → '{Login.SafeReturnUrl(returnUrl)}'");
        Destination(returnUrl).Scheme.ShouldBe(Console.Scheme);
    }

    [Theory]
    [InlineData("/\\evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    public void Backslash_and_scheme_tricks_are_refused_outright(string returnUrl) => Login.SafeReturnUrl(returnUrl).ShouldBe("/");
}

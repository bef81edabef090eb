using CoreConsole.Application.Common.Security;
using CoreConsole.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Utilities;

namespace CoreConsole.Web.ComponentTests.Layout;

public sealed class MainLayoutTests : MudTestContext
{
    private static readonly (string Text, string Href)[] EveryoneSees =
    [
        ("Dashboard", "/"), ("NetBoot images", "netboot-images"), ("Subnet services", "subnets"), ("Agent settings", "agent-settings"),
        ("Scheduled tasks", "tasks"), ("Inventory", "inventory"), ("Audit log", "audit"), ("Jobs", "work-items"),
    ];

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">the page</p>"))));

    private static IEnumerable<(string Text, string Href)> Links(IRenderedComponent<IComponent> cut) =>
        cut.FindAll("nav a, .mud-navmenu a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href") ?? "")).Distinct();

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public void Non_administrators_see_every_area_except_users(string role)
    {
        Auth.SetAuthorized($"{role}@tests.example");
        Auth.SetRoles(role);

        var links = Links(Render<NavMenu>().AsComponent());

        links.ShouldBe(EveryoneSees);
    }

    [Fact]
    public void Administrators_also_see_users()
    {
        Auth.SetAuthorized("admin@tests.example");
        Auth.SetRoles(Roles.Administrator);

        var links = Links(Render<NavMenu>().AsComponent());

        links.ShouldBe([.. EveryoneSees, ("Users", "users")]);
    }

    [Fact]
    public void The_layout_shows_the_navigation_the_page_and_the_signed_in_user()
    {
        Auth.SetAuthorized("admin@tests.example");
        Auth.SetRoles(Roles.Administrator);

        var cut = RenderLayout();

        Links(cut.AsComponent()).Select(l => l.Text).ShouldBe([.. EveryoneSees.Select(e => e.Text), "Users"]);
        cut.Find("#page-body").TextContent.ShouldBe("the page");
        cut.Find("#signed-in-user").TextContent.ShouldBe("admin@tests.example");
        cut.Find("#sign-out").ShouldNotBeNull();
    }

    [Fact]
    public void The_theme_toggle_flips_dark_mode_and_back()
    {
        Auth.SetAuthorized("viewer@tests.example");
        var cut = RenderLayout();
        string AppBarColour() => cut.FindAll("style").SelectMany(st => st.TextContent.Split(';', '\n')).Single(d => d.Contains("--mud-palette-appbar-background:", StringComparison.Ordinal)).Trim();
        var light = AppBarColour();
        light.ShouldContain(CoreConsoleTheme.Theme.PaletteLight.AppbarBackground.ToString(MudColorOutputFormats.RGBA));
        var button = cut.Find("#theme-toggle").OuterHtml;

        cut.Find("#theme-toggle").Click();

        var dark = AppBarColour();
        dark.ShouldNotBe(light);
        dark.ShouldContain(CoreConsoleTheme.Theme.PaletteDark.AppbarBackground.ToString(MudColorOutputFormats.RGBA));
        cut.Find("#theme-toggle").OuterHtml.ShouldNotBe(button, "the button offers the other theme");

        cut.Find("#theme-toggle").Click();
        AppBarColour().ShouldBe(light);
    }
}

internal static class RenderedExtensions
{
    public static IRenderedComponent<IComponent> AsComponent<T>(this IRenderedComponent<T> cut) where T : IComponent =>
        (IRenderedComponent<IComponent>)cut;
}

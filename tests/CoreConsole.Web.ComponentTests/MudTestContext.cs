global using Bunit;
global using Bunit.TestDoubles;
global using NSubstitute;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace CoreConsole.Web.ComponentTests;

/// <summary>bUnit with MudBlazor services, loose JS interop, a fake auth state and a substituted mediator.</summary>
public abstract class MudTestContext : BunitContext
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor calls JS on render
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        Auth = AddAuthorization();
        Services.AddSingleton(Sender);
    }

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>What the components send; stub replies with <c>Sender.Send(...).Returns(...)</c>.</summary>
    protected ISender Sender { get; } = Substitute.For<ISender>();
}

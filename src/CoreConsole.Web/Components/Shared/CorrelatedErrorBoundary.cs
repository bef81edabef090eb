using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;

namespace CoreConsole.Web.Components.Shared;

/// <summary>
/// Catches a page's unhandled exception, logs it with a short correlation id and shows only that id:
/// an admin can quote it, the details stay in the log, and no stack trace ever reaches the browser.
/// </summary>
public sealed class CorrelatedErrorBoundary : ErrorBoundaryBase
{
    [Inject] private ILogger<CorrelatedErrorBoundary> Logger { get; set; } = default!;
    private string? _correlationId;

    protected override Task OnErrorAsync(Exception exception)
    {
        _correlationId = Guid.NewGuid().ToString("N")[..12];
        Logger.LogError(exception, "Unhandled error in a page, correlation id {CorrelationId}", _correlationId);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
            return;
        }
        builder.OpenElement(1, "div");
        builder.AddAttribute(2, "class", "cc-error-panel");
        builder.AddAttribute(3, "role", "alert");
        builder.OpenElement(4, "h2");
        builder.AddContent(5, "Something went wrong on this page");
        builder.CloseElement();
        builder.OpenElement(6, "p");
        builder.AddContent(7, "The error has been logged. Reload the page to continue. Reference: ");
        builder.OpenElement(8, "code");
        builder.AddAttribute(9, "class", "cc-correlation-id");
        builder.AddContent(10, _correlationId);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    }

    /// <summary>Lets the layout clear the error when the user navigates elsewhere.</summary>
    public void Reset() => Recover();
}

using System.Text.RegularExpressions;
using CoreConsole.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Web.ComponentTests.Shared;

public sealed partial class CorrelatedErrorBoundaryTests : MudTestContext
{
    private const string Secret = "connection string Password=hunter2 at SomeType.SomeMethod";
    private readonly CapturingLogger _log = new();

    public CorrelatedErrorBoundaryTests() => Services.AddSingleton<ILogger<CorrelatedErrorBoundary>>(_log);

    private sealed class Exploding : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException(Secret);
    }

    [Fact]
    public void A_failing_page_shows_a_correlation_id_and_no_exception_text()
    {
        var cut = Render<CorrelatedErrorBoundary>(p => p.AddChildContent<Exploding>());

        var id = cut.Find(".cc-correlation-id").TextContent;
        HexId().IsMatch(id).ShouldBeTrue($"'{id}' is a short hex reference");
        cut.Find("[role=alert]").TextContent.ShouldContain("Something went wrong");
        cut.Markup.ShouldNotContain("hunter2");
        cut.Markup.ShouldNotContain(nameof(InvalidOperationException));
    }

    [Fact]
    public void The_logged_error_carries_the_same_correlation_id_and_the_exception()
    {
        var cut = Render<CorrelatedErrorBoundary>(p => p.AddChildContent<Exploding>());

        var id = cut.Find(".cc-correlation-id").TextContent;
        var entry = _log.Entries.ShouldHaveSingleItem();
        entry.Level.ShouldBe(LogLevel.Error);
        entry.Message.ShouldContain(id);
        entry.Exception.ShouldBeOfType<InvalidOperationException>().Message.ShouldBe(Secret);
    }

    [Fact]
    public void Each_failure_gets_its_own_correlation_id()
    {
        var first = Render<CorrelatedErrorBoundary>(p => p.AddChildContent<Exploding>()).Find(".cc-correlation-id").TextContent;
        var second = Render<CorrelatedErrorBoundary>(p => p.AddChildContent<Exploding>()).Find(".cc-correlation-id").TextContent;
        first.ShouldNotBe(second);
    }

    [Fact]
    public void A_healthy_page_renders_unchanged()
    {
        var cut = Render<CorrelatedErrorBoundary>(p => p.AddChildContent("<p id=\"fine\">all good</p>"));
        cut.Find("#fine").TextContent.ShouldBe("all good");
        cut.FindAll(".cc-correlation-id").ShouldBeEmpty();
        _log.Entries.ShouldBeEmpty();
    }

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex HexId();

    private sealed class CapturingLogger : ILogger<CorrelatedErrorBoundary>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}

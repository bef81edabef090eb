using CoreConsole.Agent.Cli;
using CoreConsole.Agent.Policy;
using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.Agent.Tests;

/// <summary>Reporting work outcomes to a fake core over real HTTP.</summary>
public sealed class ResultReporterTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeCore _core = null!;
    private AgentStateStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _core = await FakeCore.StartAsync();
        _store = new AgentStateStore(_dir.Path);
        await EnrollCommand.EnrollAsync(_core.Url, FakeCore.Token, new IdentityOverrides { Model = "MacBookPro14,1", Ipv4 = "127.0.0.1/8" },
            _store, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    private static AppliedWork Work() => new()
    {
        WorkId = Guid.NewGuid(), RevisionId = Guid.NewGuid(), Succeeded = true, Message = "applied", FinishedAt = DateTimeOffset.UtcNow,
    };

    private ResultReporter Reporter(HttpClient http) => new(_store, new AgentCoreClient(http), NullLogger<ResultReporter>.Instance);

    [Fact]
    public async Task Work_the_core_no_longer_knows_is_dropped_and_does_not_hold_back_later_results()
    {
        var (gone, next) = (Work(), Work());
        _core.UnknownWork[gone.WorkId] = true;
        _store.Update(s => s.AppliedWork.AddRange([gone, next]));
        using var http = new HttpClient { BaseAddress = _core.Url };

        var acknowledged = await Reporter(http).PostPendingAsync(TestContext.Current.CancellationToken);

        acknowledged.ShouldBe(1);
        _core.ReportedResults.Select(r => r.WorkId).ShouldBe([next.WorkId]);
        _store.Load().AppliedWork.ShouldAllBe(w => w.Reported);
    }

    [Fact]
    public async Task While_the_core_is_down_results_stay_unreported_and_go_out_later_in_order()
    {
        var (first, second) = (Work(), Work());
        _store.Update(s => s.AppliedWork.AddRange([first, second]));
        using var http = new HttpClient { BaseAddress = _core.Url };
        _core.Down = true;

        (await Reporter(http).PostPendingAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        _store.Load().AppliedWork.ShouldAllBe(w => !w.Reported);

        _core.Down = false;
        (await Reporter(http).PostPendingAsync(TestContext.Current.CancellationToken)).ShouldBe(2);
        _core.ReportedResults.Select(r => r.WorkId).ShouldBe([first.WorkId, second.WorkId]);
    }
}

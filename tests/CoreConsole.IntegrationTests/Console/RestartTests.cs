using CoreConsole.Application.Common.Jobs;
using CoreConsole.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Console;

/// <summary>
/// Rows are the truth, Hangfire only executes (ARCHITECTURE decision 1): work a previous run left unfinished must be
/// picked up by the next one. On SQLite Hangfire's store is in-memory, and the rows here never reached Hangfire at all,
/// so only the start-up reconciler can bring them back.
/// </summary>
public abstract class RestartTests
{
    private const string Kind = "test.restart";
    private static readonly CancellationToken Ct = CancellationToken.None;

    protected abstract DatabaseTarget? CreateTarget(out string? skipReason);

    [Fact]
    public async Task Unfinished_work_left_by_a_previous_run_is_finished_after_a_restart()
    {
        var target = CreateTarget(out var skipReason);
        Assert.SkipWhen(target is null, skipReason ?? "");
        try
        {
            // The first run creates the database, then stops.
            await using (var first = new CoreConsoleFactory(target!)) _ = first.Server;

            // What a run that died would leave behind: a queued row, a row whose runner vanished mid-run, a finished
            // row and a row due in the future.
            var now = DateTimeOffset.UtcNow;
            WorkItem Row(WorkItemState state, Action<WorkItem>? tweak = null)
            {
                var w = new WorkItem { Id = Guid.NewGuid(), Kind = Kind, State = state, CreatedAt = now.AddMinutes(-10), DueAt = now.AddMinutes(-5) };
                tweak?.Invoke(w);
                return w;
            }
            var pending = Row(WorkItemState.Pending);
            var stale = Row(WorkItemState.Running, w => { w.Attempts = 1; w.StartedAt = now.AddMinutes(-4); w.LeaseUntil = now.AddMinutes(-1); });
            var done = Row(WorkItemState.Succeeded, w => { w.Attempts = 1; w.FinishedAt = now.AddMinutes(-3); });
            var later = Row(WorkItemState.Pending, w => w.DueAt = now.AddHours(1));
            await using (var db = target!.CreateDbContext())
            {
                db.WorkItems.AddRange(pending, stale, done, later);
                await db.SaveChangesAsync(Ct);
            }

            var handler = new RecordingWorkHandler(Kind);
            await using var second = new CoreConsoleFactory(target!, handler);
            _ = second.Server;

            var rows = await WaitUntil(target!, r => r[pending.Id].State == WorkItemState.Succeeded && r[stale.Id].State == WorkItemState.Succeeded);

            rows[pending.Id].Attempts.ShouldBe(1);
            rows[stale.Id].Attempts.ShouldBe(2, "the interrupted attempt counts");
            rows[stale.Id].LeaseUntil.ShouldBeNull();
            handler.Runs.Keys.ShouldBe([pending.Id, stale.Id], ignoreOrder: true);
            rows[done.Id].State.ShouldBe(WorkItemState.Succeeded);
            rows[done.Id].FinishedAt.ShouldBe(done.FinishedAt);
            rows[later.Id].State.ShouldBe(WorkItemState.Pending, "work due later waits for its time");
        }
        finally
        {
            if (target is not null) await target.DeleteAsync();
        }
    }

    private static async Task<Dictionary<Guid, WorkItem>> WaitUntil(DatabaseTarget target, Func<Dictionary<Guid, WorkItem>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = target.CreateDbContext();
            var rows = await db.WorkItems.AsNoTracking().ToDictionaryAsync(w => w.Id, Ct);
            if (done(rows)) return rows;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Unfinished work was not picked up: " + string.Join(", ", rows.Values.Select(r => $"{r.State}/{r.Attempts}")));
            await Task.Delay(100, Ct);
        }
    }
}

public sealed class RestartTestsOnSqlite : RestartTests
{
    protected override DatabaseTarget CreateTarget(out string? skipReason)
    {
        skipReason = null;
        return DatabaseTarget.Sqlite();
    }
}

public sealed class RestartTestsOnSqlServer(MsSqlFixture sql) : RestartTests
{
    protected override DatabaseTarget? CreateTarget(out string? skipReason)
    {
        skipReason = sql.SkipReason;
        return sql.ConnectionString is { } cs ? DatabaseTarget.SqlServer(cs) : null;
    }
}

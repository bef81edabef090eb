using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.AgentSettings;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>
/// kill -9 the console in the middle of a push rollout, start it again: every target ends in exactly one terminal state and no
/// agent installs the revision twice, although the restarted console pushes again whatever it had not recorded.
/// </summary>
public sealed class KillDuringRolloutTests : IAsyncLifetime
{
    private const int OnlineAgents = 200;
    private const int OfflineAgents = 10;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "cc-kill-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port = ConsoleProcess.FreePort();
    private readonly List<ConsoleProcess> _consoles = [];

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["ScheduledTasks__MaxParallelPushes"] = "8",
        ["ScheduledTasks__PushTimeout"] = "00:00:03",
        ["ScheduledTasks__RetryBaseDelay"] = "00:00:00.100",
        ["ScheduledTasks__MaxPushAttempts"] = "2",
        ["AgentApi__RateLimit__EnrollPerMinute"] = "100000",
        ["AgentApi__RateLimit__TokenLimit"] = "100000",
        ["AgentApi__RateLimit__TokensPerSecond"] = "100000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private AppDbContext Db() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_dataDirectory, "coreconsole.db")};Default Timeout=30").Options);

    private async Task<ConsoleProcess> StartConsoleAsync()
    {
        var console = await ConsoleProcess.StartAsync(_dataDirectory, _port, Environment);
        _consoles.Add(console);
        return console;
    }

    [Fact]
    public async Task Killing_the_console_mid_rollout_and_restarting_it_finishes_every_target_once()
    {
        var ct = TestContext.Current.CancellationToken;
        // 1. A console with a fleet: agents enrol and check in, so devices, agents and the subnet exist.
        var first = await StartConsoleAsync();
        var token = EnrollmentTokens.Generate();
        await using (var db = Db())
        {
            db.EnrollmentTokens.Add(new EnrollmentToken { Id = Guid.NewGuid(), Name = "kill test", TokenHash = EnrollmentTokens.Hash(token), CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "test" });
            await db.SaveChangesAsync(ct);
        }
        await using var fleet = await TestFleet.StartAsync(new AgentCoreClient(new HttpClient { BaseAddress = first.Url, Timeout = TimeSpan.FromSeconds(30) }));
        var online = await fleet.EnrolAsync(token, OnlineAgents, "10.80.1");
        var offline = await fleet.EnrolAsync(token, OfflineAgents, "10.80.1", online: false);
        first.Kill();

        // 2. The task exists only as rows (setting, task, a due WorkItem), as if it had been scheduled just before a restart.
        var taskId = Guid.NewGuid();
        Guid revisionId;
        await using (var db = Db())
        {
            var now = DateTimeOffset.UtcNow;
            var setting = new AgentSetting { Id = Guid.NewGuid(), Name = "PXE on", CreatedAt = now, UpdatedAt = now, CurrentRevisionNumber = 1 };
            var revision = AgentSettingRevision.Create(setting.Id, 1, new AgentSettingValues { EnableSubnetServices = true, EnablePxe = true, CheckInIntervalSeconds = 60, PolicyIntervalSeconds = 900 }, now, "test");
            setting.CurrentRevisionId = revisionId = revision.Id;
            db.AgentSettings.Add(setting);
            db.AgentSettingRevisions.Add(revision);
            var subnet = await db.Subnets.FirstAsync(s => s.Cidr == "10.80.1.0/24", ct);
            db.ScheduledTasks.Add(new ScheduledTask
            {
                Id = taskId, Name = "Kill me", SettingId = setting.Id, SettingRevisionId = revision.Id, SettingRevisionNumber = 1, Delivery = TaskDelivery.Push,
                Portal = PortalMode.Required, ScheduleKind = TaskScheduleKind.Now, TimeZoneId = "UTC", State = ScheduledTaskState.Scheduled, NextRunAt = now, CreatedAt = now,
                Targets = [new TaskTarget { Kind = TaskTargetKind.Subnet, RefId = subnet.Id, Label = subnet.Cidr }],
            });
            db.WorkItems.Add(new WorkItem
            {
                Id = Guid.NewGuid(), Kind = TaskRunner.OccurrenceKind, Payload = $"{taskId:D}:1", Key = $"task:{taskId:N}:occurrence:1",
                State = WorkItemState.Pending, CreatedAt = now, DueAt = now, MaxAttempts = 5,
            });
            await db.SaveChangesAsync(ct);
        }

        // 3. Start; slow the agents down so the rollout takes a while; kill -9 once some, not all, targets succeeded.
        fleet.PushDelay = TimeSpan.FromMilliseconds(150);
        var second = await StartConsoleAsync();
        var atKill = await WaitForAsync(async () =>
        {
            var counts = await CountsAsync(taskId, ct);
            return counts.GetValueOrDefault(nameof(TargetState.Succeeded)) >= 40 ? counts : null;
        }, TimeSpan.FromSeconds(60));
        second.Kill();
        atKill.GetValueOrDefault(nameof(TargetState.Succeeded)).ShouldBeLessThan(OnlineAgents, "the kill must land mid-rollout");

        // 4. Restart: start-up reconciliation resumes the occurrence; it pushes whatever was not recorded as finished.
        fleet.PushDelay = TimeSpan.FromMilliseconds(10);
        await StartConsoleAsync();
        await WaitForAsync(async () =>
        {
            await using var db = Db();
            var open = await db.TaskTargetResults.CountAsync(r => r.TaskId == taskId
                && r.State != TargetState.Succeeded && r.State != TargetState.Failed && r.State != TargetState.Offline && r.State != TargetState.Cancelled, ct);
            return open == 0 ? (object)true : null;
        }, TimeSpan.FromSeconds(120));

        await using (var db = Db())
        {
            var rows = await db.TaskTargetResults.AsNoTracking().Where(r => r.TaskId == taskId).ToListAsync(ct);
            rows.Count.ShouldBe(OnlineAgents + OfflineAgents);
            rows.Select(r => r.AgentId).Distinct().Count().ShouldBe(rows.Count); // one row per device
            rows.ShouldAllBe(r => TargetStateMachine.IsTerminal(r.State) && r.FinishedAt != null);
            var byAgent = rows.ToDictionary(r => r.AgentId);
            online.ShouldAllBe(a => byAgent[a.Id].State == TargetState.Succeeded);
            offline.ShouldAllBe(a => byAgent[a.Id].State == TargetState.Offline);
            (await db.Agents.CountAsync(a => a.InstalledSettingRevisionId == revisionId, ct)).ShouldBe(OnlineAgents);
            (await db.ScheduledTasks.FirstAsync(t => t.Id == taskId, ct)).State.ShouldBe(ScheduledTaskState.Completed);
        }
        online.ShouldAllBe(a => a.Applies == 1); // installed exactly once each…
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"At kill: {string.Join(", ", atKill.Select(kv => $"{kv.Key} {kv.Value}"))}; pushes received {online.Sum(a => a.ApplyPushes)} for {OnlineAgents} agents " +
            $"({online.Count(a => a.ApplyPushes > 1)} re-delivered after the restart and de-duplicated by (workId, revisionId)).");
    }

    private async Task<Dictionary<string, int>> CountsAsync(Guid taskId, CancellationToken ct)
    {
        await using var db = Db();
        return await db.TaskTargetResults.Where(r => r.TaskId == taskId).GroupBy(r => r.State)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key.ToString(), x => x.Count, ct);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout) where T : class
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (Microsoft.Data.Sqlite.SqliteException) { } // tables not there yet, or busy
            if (DateTime.UtcNow > until) throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _consoles) await c.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

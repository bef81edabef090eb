using System.Diagnostics;
using CoreConsole.Application.Features.ScheduledTasks;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using static CoreConsole.IntegrationTests.ScheduledTasks.TaskTestSupport;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>
/// The "Push rollout" benchmark (docs/benchmarks.md): a Push / Required task to every agent of a fleet-simulator process
/// (default 10,000 agents, one signed push listener), timed from scheduling to the last target's terminal state. Long and
/// CPU-heavy, so it runs only when COREC_BENCH_PUSH is set (to the agent count, or 1 for 10,000).
/// </summary>
public sealed class PushRolloutBenchmark
{
    [Fact]
    public async Task A_push_rollout_to_the_simulated_fleet_finishes_within_thirty_seconds()
    {
        var setting = System.Environment.GetEnvironmentVariable("COREC_BENCH_PUSH");
        Assert.SkipWhen(string.IsNullOrEmpty(setting), "Benchmark: set COREC_BENCH_PUSH=1 (10,000 agents) or an agent count to run it.");
        var count = int.TryParse(setting, out var n) && n > 1 ? n : 10_000;
        var ct = TestContext.Current.CancellationToken;

        await using var app = new TasksAppFactory();
        app.Settings["ScheduledTasks:PushTimeout"] = "00:00:10";
        app.Settings["ScheduledTasks:MaxPushAttempts"] = "3";
        app.Settings["Logging:LogLevel:Default"] = "Warning";
        var token = await app.CreateEnrollmentTokenAsync();

        var simulatorDll = Path.Combine(Path.GetDirectoryName(ConsoleProcess.WebDll())!.Replace(Path.Combine("src", "CoreConsole.Web"), Path.Combine("tests", "CoreConsole.FleetSimulator")),
            "coreconsole-fleetsim.dll");
        File.Exists(simulatorDll).ShouldBeTrue($"build tests/CoreConsole.FleetSimulator first ({simulatorDll})");
        var pushPort = ConsoleProcess.FreePort();
        string[] cidrs = ["127.1.0.0/20", "127.2.0.0/20", "127.3.0.0/20"];
        using var simulator = Process.Start(new ProcessStartInfo("dotnet",
        [
            simulatorDll, "--core", app.BaseAddress.ToString(), "--token", token, "--count", count.ToString(), "--subnets", string.Join(',', cidrs),
            "--interval", "20", "--push-base-port", pushPort.ToString(), "--duration", "600",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        simulator.OutputDataReceived += (_, _) => { };
        simulator.ErrorDataReceived += (_, _) => { };
        simulator.BeginOutputReadLine();
        simulator.BeginErrorReadLine();
        try
        {
            // Every agent has enrolled and checked in once (so the core knows its push URL and subnet).
            var enrolled = Stopwatch.StartNew();
            await Eventually(async () => await app.DbAsync(db => db.Agents.CountAsync(a => a.PushUrl != null)) >= count, TimeSpan.FromMinutes(25), $"{count} agents checked in");
            var enrolSeconds = enrolled.Elapsed.TotalSeconds;

            var revision = await CreatePxeProfileAsync(app, "Benchmark PXE on");
            var targets = new List<TargetRef>();
            foreach (var cidr in cidrs) targets.Add(new TargetRef(TaskTargetKind.Subnet, await SubnetIdAsync(app, cidr), cidr));

            var clock = Stopwatch.StartNew();
            var taskId = await app.OkAsync(NowTask("Benchmark push", revision, TaskDelivery.Push, PortalMode.Required, [.. targets]));
            await Eventually(async () => await app.DbAsync(db => db.ScheduledTasks.AnyAsync(t => t.Id == taskId && t.State == ScheduledTaskState.Completed)),
                TimeSpan.FromMinutes(5), "rollout complete");
            var seconds = clock.Elapsed.TotalSeconds;

            var counts = await app.DbAsync(db => db.TaskTargetResults.Where(r => r.TaskId == taskId).GroupBy(r => r.State)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
            var summary = $"{count} agents (enrol + first check-in {enrolSeconds:0} s); push rollout {seconds:0.0} s " +
                          $"({count / seconds:0} targets/s): {string.Join(", ", counts.Select(c => $"{c.Key} {c.Count}"))}";
            TestContext.Current.TestOutputHelper?.WriteLine(summary);
            if (System.Environment.GetEnvironmentVariable("COREC_BENCH_OUT") is { Length: > 0 } output) await File.AppendAllTextAsync(output, summary + "\n", ct);

            counts.Sum(c => c.Count).ShouldBe(count);
            counts.Single(c => c.Key == TargetState.Succeeded).Count.ShouldBe(count);
            seconds.ShouldBeLessThanOrEqualTo(30);
        }
        finally
        {
            if (!simulator.HasExited) simulator.Kill(entireProcessTree: true);
        }
    }
}

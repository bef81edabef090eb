using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>The real agent process against the real core over a real socket.</summary>
public sealed class RealAgentProcessTests
{
    private static readonly Dictionary<string, string?> FastCheckIns = new() { ["AgentApi:DefaultCheckInIntervalSeconds"] = "1" };

    private static string TempDir(string what) => Path.Combine(Path.GetTempPath(), $"coreconsole-{what}-{Guid.NewGuid():N}"[..40]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> diagnostics) where T : class
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(250);
        }
        throw new TimeoutException("Timed out. " + diagnostics());
    }

    [Fact]
    public async Task A_real_agent_process_enrols_and_checks_in_and_its_device_appears_with_model_and_subnet()
    {
        await using var core = new AgentApiFactory(settings: FastCheckIns).UseRealSocket();
        var url = core.ServerAddress.ToString().TrimEnd('/');
        var token = await core.CreateTokenAsync("process test");
        var dataDir = TempDir("agent");
        try
        {
            var (code, output) = await AgentProcess.RunAsync(TimeSpan.FromSeconds(60), "enroll", "--core", url, "--token", token, "--data-dir", dataDir,
                "--model", "iMac18,3", "--ip", "127.0.1.10/24", "--serial", "C02PROC0001", "--hostname", "proc-mac");
            code.ShouldBe(0, output);
            output.ShouldContain("Enrolled agent");

            await using var agent = AgentProcess.Start("run", "--data-dir", dataDir);
            var seen = await EventuallyAsync(async () =>
            {
                await core.FlushHeartbeatsAsync();
                await using var db = await core.Db.CreateDbContextAsync();
                return await db.Agents.AsNoTracking().Include(a => a.Device).Include(a => a.Addresses).ThenInclude(x => x.Subnet)
                    .Where(a => a.Device!.Model == "iMac18,3" && a.Addresses.Count > 0 && a.PushUrl != null).FirstOrDefaultAsync();
            }, TimeSpan.FromSeconds(45), () => agent.Output);

            seen.Device!.HostName.ShouldBe("proc-mac");
            seen.Device.SerialNumber.ShouldBe("C02PROC0001");
            seen.Addresses.ShouldHaveSingleItem().Subnet!.Cidr.ShouldBe("127.0.1.0/24");
            seen.PushUrl!.ShouldStartWith("http://127.0.1.10:");
            seen.AgentVersion.ShouldNotBeNullOrWhiteSpace();

            // The agent keeps checking in (interval 1 s from the core's reply).
            var first = seen.LastCheckInAt ?? DateTimeOffset.MinValue;
            await EventuallyAsync(async () =>
            {
                await core.FlushHeartbeatsAsync();
                await using var db = await core.Db.CreateDbContextAsync();
                var last = await db.Agents.AsNoTracking().Where(a => a.Id == seen.Id).Select(a => a.LastCheckInAt).FirstAsync();
                return last > first ? "advanced" : null;
            }, TimeSpan.FromSeconds(20), () => agent.Output);
        }
        finally
        {
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_real_agent_backs_off_while_the_core_is_down_and_resumes_when_it_returns()
    {
        var coreData = TempDir("core");
        var agentData = TempDir("agent");
        var port = FreePort();
        try
        {
            Guid agentId;
            await using (var core = new AgentApiFactory(coreData, FastCheckIns) { KeepDataDirectory = true }.UseRealSocket(port))
            {
                var url = core.ServerAddress.ToString().TrimEnd('/');
                var token = await core.CreateTokenAsync("restart test");
                var (code, output) = await AgentProcess.RunAsync(TimeSpan.FromSeconds(60), "enroll", "--core", url, "--token", token, "--data-dir", agentData,
                    "--model", "Macmini8,1", "--ip", "127.0.2.10/24", "--serial", "C02RESTART01", "--hostname", "restart-mac");
                code.ShouldBe(0, output);
                await using var db = await core.Db.CreateDbContextAsync();
                agentId = (await db.Agents.SingleAsync()).Id;
            }

            await using var agent = AgentProcess.Start("run", "--data-dir", agentData);
            // Core is down: the agent reports failed check-ins and retries with backoff (it must not exit).
            await EventuallyAsync(() => Task.FromResult(agent.Output.Contains("Check-in failed") ? "failing" : null), TimeSpan.FromSeconds(30), () => agent.Output);
            await Task.Delay(TimeSpan.FromSeconds(2));
            agent.HasExited.ShouldBeFalse(agent.Output);
            var (_, status) = await AgentProcess.RunAsync(TimeSpan.FromSeconds(30), "status", "--data-dir", agentData);
            status.ShouldContain("last attempt failed");

            // The core comes back on the same address and data: the agent's next retry gets through.
            var back = DateTimeOffset.UtcNow;
            await using (var core = new AgentApiFactory(coreData, FastCheckIns) { KeepDataDirectory = true }.UseRealSocket(port))
            {
                core.ServerAddress.Port.ShouldBe(port);
                await EventuallyAsync(async () =>
                {
                    await core.FlushHeartbeatsAsync();
                    await using var db = await core.Db.CreateDbContextAsync();
                    var a = await db.Agents.AsNoTracking().Include(x => x.Device).SingleAsync(x => x.Id == agentId);
                    return a.LastCheckInAt > back && a.Device!.Model == "Macmini8,1" ? a : null;
                }, TimeSpan.FromSeconds(60), () => agent.Output);
                await using var db2 = await core.Db.CreateDbContextAsync();
                (await db2.Devices.CountAsync()).ShouldBe(1);
            }
        }
        finally
        {
            try { Directory.Delete(coreData, true); } catch (IOException) { }
            try { Directory.Delete(agentData, true); } catch (IOException) { }
        }
    }
}

using System.Diagnostics;
using CoreConsole.Application.Features.Inventory;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>
/// The inventory grids with 100,000 devices on the embedded SQLite store: first-page server time of the queries the grids run.
/// Seeded with set-based SQL (a recursive CTE), so the test spends its time on the queries, not on seeding.
/// </summary>
public sealed class InventoryAtScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Devices = 100_000;
    private readonly AgentApiFactory _core = new();

    public async ValueTask InitializeAsync()
    {
        _ = _core.Services; // start the host: migrations applied
        await using var db = await _core.Db.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow.UtcTicks;
        await db.Database.ExecuteSqlRawAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
            INSERT INTO Subnets (Id, Cidr, NetworkAddress, NetworkNumber, PrefixLength, Name, Source, CreatedAt)
            SELECT printf('5B000000-0000-4000-8000-%012X', i), printf('10.%d.%d.0/24', i / 256, i % 256), printf('10.%d.%d.0', i / 256, i % 256),
                   167772160 + i * 256, 24, NULL, 'Discovered', {now} FROM n;
            """);
        await db.Database.ExecuteSqlRawAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Devices})
            INSERT INTO Devices (Id, SerialNumber, PrimaryMac, HostName, Model, OsName, OsVersion, MacAddresses, Ipv4Interfaces,
                                 UptimeSeconds, FreeDiskBytes, FirstSeenAt, LastSeenAt, InventoryAt, InventoryHash)
            SELECT printf('DE000000-0000-4000-8000-%012X', i), printf('C02%08d', i), printf('02:00:00:%02X:%02X:%02X', i / 65536, (i / 256) % 256, i % 256),
                   printf('mac-%06d', (i * 7919) % {Devices}),
                   CASE i % 5 WHEN 0 THEN 'MacBookPro14,1' WHEN 1 THEN 'iMac18,3' WHEN 2 THEN 'Macmini8,1' WHEN 3 THEN 'MacBookAir8,2' ELSE 'iMacPro1,1' END,
                   'macOS', '10.15.7', printf('02:00:00:%02X:%02X:%02X', i / 65536, (i / 256) % 256, i % 256),
                   printf('10.%d.%d.%d/24', (i % 400 + 1) / 256, (i % 400 + 1) % 256, i % 250 + 2),
                   3600, 100000000000, {now}, {now} - (i % 1000) * 10000000, {now}, 'seed' FROM n;
            """);
        await db.Database.ExecuteSqlRawAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Devices})
            INSERT INTO Agents (Id, DeviceId, SecretHash, PushKey, AgentVersion, EnrolledAt, LastCheckInAt, EnableSubnetServices, EnablePxe,
                                CheckInIntervalSeconds, PolicyIntervalSeconds, FreeDiskBytes, Cores, MemoryBytes, IsServerOs, WiredLink, Preference)
            SELECT printf('A0000000-0000-4000-8000-%012X', i), printf('DE000000-0000-4000-8000-%012X', i), 'x', X'00', '1.0.0', {now},
                   {now} - (i % 1000) * 10000000, 0, 0, 60, 900, 0, 4, 0, 0, 1, 'None' FROM n;
            """);
        await db.Database.ExecuteSqlRawAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Devices})
            INSERT INTO AgentAddresses (AgentId, SubnetId, Address)
            SELECT printf('A0000000-0000-4000-8000-%012X', i), printf('5B000000-0000-4000-8000-%012X', i % 400 + 1),
                   printf('10.%d.%d.%d', (i % 400 + 1) / 256, (i % 400 + 1) % 256, i % 250 + 2) FROM n;
            """);
        await db.Database.ExecuteSqlRawAsync("ANALYZE;");
        (await db.Devices.CountAsync()).ShouldBe(Devices);
        (await db.AgentAddresses.CountAsync()).ShouldBe(Devices);
    }

    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private async Task<TimeSpan> TimeAsync<T>(string what, Mediator.IQuery<T> query, Action<T> check)
    {
        await _core.QueryAsync(query); // warm: query compilation and page cache, as on a running server
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await _core.QueryAsync(query);
            var elapsed = Stopwatch.GetElapsedTime(started);
            check(result);
            if (elapsed < best) best = elapsed;
        }
        output.WriteLine($"{what}: {best.TotalMilliseconds:F0} ms (best of 3, {Devices:N0} devices)");
        return best;
    }

    [Fact]
    public async Task The_grids_first_pages_stay_quick_with_100000_devices()
    {
        // Budget: 300 ms of server time per page (issue 4). Allow head-room for a shared CI machine; the figures are printed.
        var budget = TimeSpan.FromMilliseconds(Environment.GetEnvironmentVariable("CI") is null ? 1500 : 3000);
        var subnetId = Guid.Parse("5B000000-0000-4000-8000-000000000007");
        var times = new List<TimeSpan>
        {
            await TimeAsync("devices, first page by host name", new ListDevicesQuery(), p => { p.Total.ShouldBe(Devices); p.Items.Count.ShouldBe(25); }),
            await TimeAsync("devices, last seen descending", new ListDevicesQuery(Sort: DeviceSort.LastSeen, Descending: true), p => p.Items.Count.ShouldBe(25)),
            await TimeAsync("devices, model filter", new ListDevicesQuery(Model: "iMac18,3"), p => p.Total.ShouldBe(Devices / 5)),
            await TimeAsync("devices, subnet filter", new ListDevicesQuery(SubnetId: subnetId), p => p.Total.ShouldBe(250)),
            await TimeAsync("devices, search", new ListDevicesQuery(Search: "mac-0999"), p => p.Total.ShouldBeGreaterThan(0)),
            await TimeAsync("agents, first page", new ListAgentsQuery(), p => p.Total.ShouldBe(Devices)),
            await TimeAsync("models", new ListModelsQuery(), m => m.Count.ShouldBe(5)),
        };
        times.ShouldAllBe(t => t < budget);
    }
}

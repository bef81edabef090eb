using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Application.Features.Subnets.Election;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.Subnets;

/// <summary>Two console hosts sharing one SQLite file race to elect on the same subnet: exactly one lease is granted.</summary>
public sealed class TwoConsolesRaceTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "coreconsole-race-" + Guid.NewGuid().ToString("N")[..8]);
    private DrillConsoleFactory _one = default!;
    private DrillConsoleFactory _two = default!;

    public ValueTask InitializeAsync()
    {
        _one = new DrillConsoleFactory(_root, FreePort());
        _one.Start();
        _two = new DrillConsoleFactory(_root, FreePort());
        _two.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _one.DisposeAsync();
        await _two.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Two_console_processes_on_one_database_grant_exactly_one_lease()
    {
        var (serviceId, agents) = await SeedAsync(agentCount: 6);
        var ct = TestContext.Current.CancellationToken;

        // Every agent checks in on both consoles at once while both also re-evaluate: 2 × (6 + 10) concurrent decisions.
        var work = new List<Task<RepresentativeRole?>>();
        foreach (var console in new[] { _one, _two })
        {
            var election = console.Services.GetRequiredService<SubnetElection>();
            foreach (var agent in agents)
                work.Add(Task.Run(async () => (await election.OnCheckInAsync(agent, null, ct)).Role, ct));
            for (var i = 0; i < 10; i++)
                work.Add(Task.Run(async () => { await election.ReevaluateAsync(serviceId, ct); return (RepresentativeRole?)null; }, ct));
        }
        var roles = (await Task.WhenAll(work)).Where(r => r is not null).ToList();

        var svc = await _one.WithDbAsync(db => db.SubnetServices.AsNoTracking().FirstAsync(s => s.Id == serviceId, ct));
        var elected = await _one.WithDbAsync(db => db.ElectionEvents.Where(e => e.Kind == ElectionEventKind.Elected).ToListAsync(ct));
        elected.Count.ShouldBe(1, "one election, whoever won the race");
        svc.Term.ShouldBe(1);
        svc.RepresentativeAgentId.ShouldNotBeNull();
        roles.Select(r => r!.Term).Distinct().ShouldBe(roles.Count == 0 ? [] : [1L]);
        roles.Count.ShouldBeLessThanOrEqualTo(2, "only the elected agent is told it holds the role (once per console it checked in on)");
    }

    private async Task<(Guid ServiceId, List<Guid> Agents)> SeedAsync(int agentCount)
    {
        var now = DateTimeOffset.UtcNow;
        var subnet = new Subnet
        {
            Id = Guid.NewGuid(), Cidr = "10.99.0.0/24", NetworkAddress = "10.99.0.0", NetworkNumber = 0x0A630000, PrefixLength = 24,
            Source = SubnetSource.Manual, CreatedAt = now,
        };
        var service = new SubnetService { Id = Guid.NewGuid(), SubnetId = subnet.Id, DesiredEnabled = true, UpdatedAt = now };
        var ids = new List<Guid>();
        await _one.WithDbAsync(async db =>
        {
            db.Subnets.Add(subnet);
            db.SubnetServices.Add(service);
            for (var i = 0; i < agentCount; i++)
            {
                var device = new Device { Id = Guid.NewGuid(), HostName = $"race-{i}", FirstSeenAt = now, LastSeenAt = now, InventoryAt = now };
                var agent = new Agent
                {
                    Id = Guid.NewGuid(), DeviceId = device.Id, EnrolledAt = now, LastCheckInAt = now, EnableSubnetServices = true, EnablePxe = true,
                    Cores = 4 + i, MemoryBytes = 8L << 30, WiredLink = true,
                };
                db.Devices.Add(device);
                db.Agents.Add(agent);
                db.AgentAddresses.Add(new AgentAddress { AgentId = agent.Id, SubnetId = subnet.Id, Address = $"10.99.0.{10 + i}" });
                ids.Add(agent.Id);
            }
            return await db.SaveChangesAsync();
        });
        return (service.Id, ids);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

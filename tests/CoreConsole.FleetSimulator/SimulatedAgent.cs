using System.Diagnostics;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.FleetSimulator;

/// <summary>One fake machine: its identity, what it has installed, and its check-in loop. Settings are "applied" by recording them.</summary>
internal sealed class SimulatedAgent(int number, string model, Ipv4Interface address, string? pushUrl)
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private SettingRevision? _installed;
    private RepresentativeRole? _role;

    public string Serial { get; } = $"SIM-{number:D6}";
    public string HostName => $"sim-{number:D6}";
    public string Mac { get; } = $"02:CC:{number >> 24 & 0xFF:X2}:{number >> 16 & 0xFF:X2}:{number >> 8 & 0xFF:X2}:{number & 0xFF:X2}";
    public AgentCredentials? Credentials { get; private set; }
    public byte[]? PushKey { get; private set; }
    public bool HoldsRole => _role is not null;

    /// <summary>One line for --state-file: agentId:secret.</summary>
    public string SavedCredentials => $"{Credentials!.AgentId:D}:{Credentials.Secret}";

    public void UseCredentials(string line)
    {
        var colon = line.IndexOf(':');
        Credentials = new AgentCredentials(Guid.Parse(line[..colon]), line[(colon + 1)..]);
        PushKey = AgentAuth.DerivePushKey(Credentials.Secret);
    }

    public async Task EnrollAsync(AgentCoreClient client, string token, CancellationToken cancellationToken)
    {
        var reply = await client.EnrollAsync(new EnrollRequest
        {
            Token = token, HostName = HostName, SerialNumber = Serial, PrimaryMac = Mac, Model = model,
            OsName = "macOS", OsVersion = "10.15.7", AgentVersion = "fleetsim",
        }, cancellationToken);
        Credentials = new AgentCredentials(reply.AgentId, reply.Secret);
        PushKey = AgentAuth.DerivePushKey(reply.Secret);
    }

    /// <summary>Load mode: <paramref name="workers"/> loops, each checking in the next agent as soon as its previous call returned.</summary>
    public static List<Task> RunClosedLoop(IReadOnlyList<SimulatedAgent> agents, int workers, AgentCoreClient client, LatencyStats stats, CancellationToken cancellationToken)
    {
        var next = -1;
        return Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var agent = agents[(int)((uint)Interlocked.Increment(ref next) % (uint)agents.Count)];
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var reply = await client.CheckInAsync(agent.Credentials!, agent.Inventory(), cancellationToken);
                    stats.Record(Stopwatch.GetElapsedTime(started));
                    agent._role = reply.Role;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or AgentApiException or TaskCanceledException)
                {
                    stats.RecordFailure();
                }
            }
        }, CancellationToken.None)).ToList();
    }

    public async Task RunAsync(AgentCoreClient client, double intervalSeconds, bool ignoreCoreInterval, LatencyStats stats, CancellationToken cancellationToken)
    {
        // Spread the first check-ins over one interval so the fleet does not start in step.
        await Sleep(TimeSpan.FromSeconds(Random.Shared.NextDouble() * intervalSeconds), cancellationToken);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = intervalSeconds;
            var started = Stopwatch.GetTimestamp();
            try
            {
                var reply = await client.CheckInAsync(Credentials!, Inventory(), cancellationToken);
                stats.Record(Stopwatch.GetElapsedTime(started));
                failures = 0;
                if (reply.DesiredSettingRevision is { } desired) _installed = desired;
                _role = reply.Role;
                if (reply.PendingPolicyCount > 0) await RunPolicyAsync(client, cancellationToken);
                next = reply.NextCheckInSeconds > 0 && !ignoreCoreInterval ? reply.NextCheckInSeconds : intervalSeconds;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or AgentApiException or TaskCanceledException)
            {
                stats.RecordFailure();
                next = Math.Min(60, 1 << Math.Min(++failures - 1, 6));
            }
            await Sleep(TimeSpan.FromSeconds(next * (0.8 + 0.4 * Random.Shared.NextDouble())), cancellationToken);
        }
    }

    /// <summary>Required items are applied and reported at once; portal items are left alone (no user here).</summary>
    private async Task RunPolicyAsync(AgentCoreClient client, CancellationToken cancellationToken)
    {
        var policy = await client.GetPolicyAsync(Credentials!, cancellationToken);
        foreach (var item in policy.Items.Where(i => i.Portal == PortalMode.Required))
        {
            _installed = item.SettingRevision;
            await client.PostResultAsync(Credentials!, new WorkResult
            {
                WorkId = item.WorkId, Succeeded = true, AppliedRevisionId = item.SettingRevision.Id, FinishedAt = DateTimeOffset.UtcNow,
            }, cancellationToken);
        }
    }

    public PushResponse OnPush(PushRequest request)
    {
        if (request is { Kind: PushKind.ApplySettings, SettingRevision: { } revision }) _installed = revision;
        try { _wake.Release(); } catch (SemaphoreFullException) { }
        return new PushResponse { Accepted = true, AppliedRevisionId = request.Kind == PushKind.ApplySettings ? _installed?.Id : null };
    }

    private CheckInRequest Inventory() => new()
    {
        HostName = HostName, OsName = "macOS", OsVersion = "10.15.7", Model = model, SerialNumber = Serial,
        MacAddresses = [Mac], Ipv4 = [address], UptimeSeconds = Environment.TickCount64 / 1000, FreeDiskBytes = 200L << 30,
        AgentVersion = "fleetsim", InstalledSettingRevisionId = _installed?.Id, InstalledSettingRevisionNumber = _installed?.Number,
        InstalledSettings = _installed?.Settings, PushUrl = pushUrl,
        Representative = _role is null ? null : new RepresentativeStatus { Subnet = _role.Subnet, Term = _role.Term, State = RepresentativeState.Idle },
        Capabilities = new CapabilityFacts { FreeDiskBytes = 200L << 30, Cores = 4, MemoryBytes = 16L << 30, WiredLink = true },
        SentAt = DateTimeOffset.UtcNow,
    };

    private async Task Sleep(TimeSpan delay, CancellationToken cancellationToken)
    {
        try { await _wake.WaitAsync(delay, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}

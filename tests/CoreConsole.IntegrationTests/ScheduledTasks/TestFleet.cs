using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>
/// A fleet of simulated agents behind one real, signature-checking push listener. Each agent behaves like the real one where it
/// matters here: it applies each (workId, revisionId) at most once (repeats answer with the recorded outcome), reports results to
/// /api/agent/results, answers CheckInNow by checking in and fetching policy, applies Required policy items and keeps the others
/// as portal offers until <see cref="RunPortalAsync"/>. Offline agents advertise a push URL nobody listens on.
/// </summary>
public sealed class TestFleet : IAsyncDisposable
{
    private readonly WebApplication _listener;
    private readonly PushReplayGuard _replay = new();
    private readonly AgentCoreClient _core;
    private readonly ConcurrentDictionary<Guid, FleetAgent> _byId = new();

    public List<FleetAgent> Agents { get; } = [];
    public string PushUrl { get; }
    /// <summary>Delay before answering a push (to make rollouts slow enough to interrupt).</summary>
    public TimeSpan PushDelay { get; set; }

    private TestFleet(WebApplication listener, AgentCoreClient core)
    {
        _listener = listener;
        _core = core;
        PushUrl = listener.Urls.First();
    }

    public static async Task<TestFleet> StartAsync(AgentCoreClient core)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestFleet? fleet = null;
        app.MapPost(AgentProtocol.Push, (Delegate)((HttpContext http) => fleet!.OnPushAsync(http)));
        await app.StartAsync();
        fleet = new TestFleet(app, core);
        return fleet;
    }

    /// <summary>Enrols <paramref name="count"/> agents on <paramref name="subnetPrefix"/>.x/24 and checks each in once.</summary>
    public async Task<IReadOnlyList<FleetAgent>> EnrolAsync(string token, int count, string subnetPrefix, bool online = true, int parallel = 16)
    {
        var start = Agents.Count;
        var batch = Enumerable.Range(start, count).Select(i => new FleetAgent(this, i + 1, $"{subnetPrefix}.{i % 250 + 2}", online)).ToList();
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (a, ct) =>
        {
            var reply = await _core.EnrollAsync(new EnrollRequest
            {
                Token = token, HostName = a.HostName, SerialNumber = a.Serial, PrimaryMac = a.Mac, Model = "MacBookPro14,1", OsName = "macOS", OsVersion = "10.15.7",
                AgentVersion = "testfleet",
            }, ct);
            a.Credentials = new AgentCredentials(reply.AgentId, reply.Secret);
            a.PushKey = AgentAuth.DerivePushKey(reply.Secret);
            _byId[reply.AgentId] = a;
            await a.CheckInAsync(ct);
        });
        lock (Agents) Agents.AddRange(batch);
        return batch;
    }

    internal AgentCoreClient Core => _core;

    private async Task<IResult> OnPushAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var verdict = AgentAuth.VerifyPush(http.Request.Headers.Authorization.ToString(), http.Request.Headers[AgentAuth.TimestampHeader].ToString(), body,
            id => _byId.TryGetValue(id, out var a) ? a.PushKey : null, DateTimeOffset.UtcNow, _replay, out var agentId);
        if (verdict != PushVerification.Valid) return Results.Unauthorized();
        var request = JsonSerializer.Deserialize<PushRequest>(body, AgentProtocol.JsonOptions)!;
        if (PushDelay > TimeSpan.Zero) await Task.Delay(PushDelay);
        return Results.Json(await _byId[agentId].OnPushAsync(request), AgentProtocol.JsonOptions);
    }

    public async ValueTask DisposeAsync() => await _listener.DisposeAsync();
}

public sealed class FleetAgent(TestFleet fleet, int number, string address, bool online)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid WorkId, Guid RevisionId), bool> _applied = new();

    public string HostName { get; } = $"fleet-{number:D5}";
    public string Serial { get; } = $"FLEET{number:D7}";
    public string Mac { get; } = $"02:FE:00:{number >> 16 & 0xFF:X2}:{number >> 8 & 0xFF:X2}:{number & 0xFF:X2}";
    public string Address => address;
    public bool Online { get; set; } = online;
    public AgentCredentials? Credentials { get; set; }
    public byte[]? PushKey { get; set; }
    public SettingRevision? Installed { get; private set; }
    /// <summary>Times a revision was actually installed from work (after de-duplication).</summary>
    public int Applies { get; private set; }
    /// <summary>ApplySettings pushes received, repeats included.</summary>
    public int ApplyPushes { get; private set; }
    public List<PolicyWorkItem> PortalOffers { get; } = [];
    /// <summary>The check-in and policy fetch a CheckInNow push started.</summary>
    public Task Background { get; private set; } = Task.CompletedTask;
    public Guid Id => Credentials!.AgentId;

    /// <summary>A check-in; <paramref name="reporting"/> makes it report that revision installed (an apply the core has not recorded yet).</summary>
    public async Task<CheckInResponse> CheckInAsync(CancellationToken ct = default, SettingRevision? reporting = null)
    {
        if (reporting is not null) lock (_gate) Installed = reporting;
        var reply = await fleet.Core.CheckInAsync(Credentials!, new CheckInRequest
        {
            HostName = HostName, OsName = "macOS", OsVersion = "10.15.7", Model = "MacBookPro14,1", SerialNumber = Serial, MacAddresses = [Mac],
            Ipv4 = [new Ipv4Interface(address, 24)], AgentVersion = "testfleet", UptimeSeconds = 1000, FreeDiskBytes = 100L << 30,
            InstalledSettingRevisionId = Installed?.Id, InstalledSettingRevisionNumber = Installed?.Number, InstalledSettings = Installed?.Settings,
            PushUrl = Online ? fleet.PushUrl : "http://127.0.0.1:9", // discard port: connection refused
            Capabilities = new CapabilityFacts { Cores = 4, MemoryBytes = 8L << 30, FreeDiskBytes = 100L << 30, WiredLink = true },
            SentAt = DateTimeOffset.UtcNow,
        }, ct);
        if (reply.DesiredSettingRevision is { } desired && desired.Id != Installed?.Id) Installed = desired;
        return reply;
    }

    /// <summary>What the agent does at its policy interval: fetch, apply Required, keep the rest as portal offers.</summary>
    public async Task PollPolicyAsync(CancellationToken ct = default)
    {
        var policy = await fleet.Core.GetPolicyAsync(Credentials!, ct);
        foreach (var item in policy.Items.Where(i => i.Portal == PortalMode.Required)) await ApplyAndReportAsync(item.WorkId, item.SettingRevision, ct);
        lock (_gate)
        {
            PortalOffers.Clear();
            PortalOffers.AddRange(policy.Items.Where(i => i.Portal != PortalMode.Required && !_applied.ContainsKey((i.WorkId, i.SettingRevision.Id))));
        }
    }

    /// <summary><c>coreconsole-agent portal run ID</c>.</summary>
    public async Task RunPortalAsync(Guid workId, CancellationToken ct = default)
    {
        PolicyWorkItem offer;
        lock (_gate) offer = PortalOffers.Single(o => o.WorkId == workId);
        await ApplyAndReportAsync(offer.WorkId, offer.SettingRevision, ct);
        lock (_gate) PortalOffers.RemoveAll(o => o.WorkId == workId);
    }

    internal async Task<PushResponse> OnPushAsync(PushRequest request)
    {
        switch (request.Kind)
        {
            case PushKind.ApplySettings when request is { WorkId: { } workId, SettingRevision: { } revision }:
                lock (_gate) ApplyPushes++;
                Apply(workId, revision);
                // Like the real agent: the push reply carries the outcome, and a WorkResult follows.
                _ = ReportAsync(workId, revision);
                return new PushResponse { Accepted = true, AppliedRevisionId = revision.Id };
            case PushKind.CheckInNow:
                lock (_gate) Background = Task.Run(async () => { await CheckInAsync(); await PollPolicyAsync(); });
                return new PushResponse { Accepted = true };
            default:
                return new PushResponse { Accepted = false, Message = "unsupported" };
        }
    }

    private bool Apply(Guid workId, SettingRevision revision)
    {
        lock (_gate)
        {
            if (!_applied.TryAdd((workId, revision.Id), true)) return false;
            Installed = revision;
            Applies++;
            return true;
        }
    }

    private async Task ApplyAndReportAsync(Guid workId, SettingRevision revision, CancellationToken ct)
    {
        Apply(workId, revision);
        await ReportAsync(workId, revision, ct);
    }

    private async Task ReportAsync(Guid workId, SettingRevision revision, CancellationToken ct = default)
    {
        try
        {
            await fleet.Core.PostResultAsync(Credentials!, new WorkResult
            {
                WorkId = workId, Succeeded = true, AppliedRevisionId = revision.Id, FinishedAt = DateTimeOffset.UtcNow, Message = $"Installed setting revision {revision.Number}",
            }, ct);
        }
        catch (HttpRequestException) { } // the console may be down (the kill test); the push reply already told it
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Inventory;

/// <summary>
/// The check-in hot path: record inventory and heartbeat, then ask the election, settings, policy and catalogue seams what the
/// agent must know now. Designed for thousands of calls a second on SQLite:
/// <list type="bullet">
/// <item>what the core last stored for each agent is cached (<see cref="AgentStateCache"/>), so an unchanged report reads nothing;</item>
/// <item>inventory and agent state are compared by hash (uptime and free disk by tolerance), so an unchanged report writes nothing;</item>
/// <item>the heartbeat goes to <see cref="HeartbeatBuffer"/>, written once a second for all agents.</item>
/// </list>
/// Identity conflicts (a serial or primary MAC already on another device) are settled deterministically and audited.
/// Not a mediator command: it runs for the system on every agent call and is audited only when it settles a conflict.
/// </summary>
public sealed class RecordCheckIn(
    IDbContextFactory<AppDbContext> dbFactory,
    AgentStateCache cache,
    HeartbeatBuffer heartbeats,
    SubnetDirectory subnets,
    WriteGate writeGate,
    IElectionService election,
    IDesiredSettingsSource desiredSettings,
    IAgentPolicySource policy,
    IRepresentativeCatalogueSource catalogue,
    Dashboard.FleetActivity activity,
    Microsoft.Extensions.Options.IOptions<AgentApiOptions> options,
    TimeProvider clock)
{
    /// <summary>Check-in interval when the agent reports no installed settings (unless configured otherwise).</summary>
    public const int DefaultIntervalSeconds = 60;
    private readonly int _defaultInterval = Math.Clamp(options.Value.DefaultCheckInIntervalSeconds, 1, 86_400);
    /// <summary>Reboots are detected when the implied boot time moves more than this.</summary>
    public static readonly TimeSpan BootTolerance = TimeSpan.FromMinutes(5);
    /// <summary>Free disk is rewritten when it moved more than this.</summary>
    public const long FreeDiskTolerance = 1L << 30;

    /// <summary>Null when the agent no longer exists (deleted since authentication): the API answers 401.</summary>
    public async ValueTask<CheckInResponse?> RecordAsync(Guid agentId, CheckInRequest report, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var state = await cache.GetAsync(agentId, ct);
        if (state is null) return null;

        var inventoryHash = InventoryHash(report);
        var bootedAt = now - TimeSpan.FromSeconds(Math.Max(0, report.UptimeSeconds));
        if (inventoryHash != state.InventoryHash
            || (bootedAt - state.BootedAt).Duration() > BootTolerance
            || Math.Abs(report.FreeDiskBytes - state.DeviceFreeDiskBytes) > FreeDiskTolerance)
        {
            state = await WriteInventoryAsync(agentId, state, report, inventoryHash, now, ct);
        }

        var agentFreeDisk = report.Capabilities?.FreeDiskBytes ?? report.FreeDiskBytes;
        var stateHash = AgentStateHash(report);
        if (stateHash != state.StateHash || Math.Abs(agentFreeDisk - state.AgentFreeDiskBytes) > FreeDiskTolerance)
            state = await WriteAgentStateAsync(agentId, state, report, stateHash, agentFreeDisk, now, ct);

        heartbeats.Record(agentId, state.DeviceId, now);
        activity.RecordCheckIn(agentId, report.Representative?.BsdpReplies);

        var context = new AgentCheckInContext(agentId, state.DeviceId, state.Subnets, state.AssignedSettingId, state.Preference, now);
        var role = await election.OnCheckInAsync(context, report, ct);
        var reference = role is null ? null : await catalogue.GetReferenceAsync(context, role, ct);
        var desired = await desiredSettings.GetDesiredAsync(context, report, ct);
        var pending = await policy.CountPendingAsync(agentId, ct);
        return new CheckInResponse
        {
            DesiredSettingRevision = desired,
            Role = role,
            Catalogue = reference,
            PendingPolicyCount = pending,
            NextCheckInSeconds = election is Subnets.Election.IElectionCheckInTiming timing && timing.TakeNextCheckIn(agentId) is { } soon
                ? Math.Max(1, Math.Min(NextCheckInSeconds(report, _defaultInterval), (int)Math.Ceiling(soon.TotalSeconds)))
                : NextCheckInSeconds(report, _defaultInterval),
            CoreTime = now,
        };
    }

    public static int NextCheckInSeconds(CheckInRequest report, int defaultInterval = DefaultIntervalSeconds) =>
        report.InstalledSettings?.CheckInIntervalSeconds is { } s and > 0 ? Math.Clamp(s, 1, 86_400) : defaultInterval;

    private async Task<AgentStateCache.Entry> WriteInventoryAsync(
        Guid agentId, AgentStateCache.Entry state, CheckInRequest r, string inventoryHash, DateTimeOffset now, CancellationToken ct)
    {
        var macs = r.MacAddresses.Select(NormaliseMac).Where(m => m.Length > 0).Distinct().ToList();
        var interfaces = r.Ipv4.Select(i => (i.Address.Trim(), i.PrefixLength)).Distinct().ToList();
        var links = new List<AgentSubnet>();
        foreach (var (address, prefix) in interfaces)
        {
            if (!Ipv4Network.TryParseAddress(address, out var value) || links.Any(l => l.Address == address)) continue;
            var network = Ipv4Network.Of(value, prefix);
            links.Add(new AgentSubnet(await subnets.EnsureAsync(network, ct), network.Cidr, address));
        }

        using var writing = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var device = await db.Devices.FirstAsync(d => d.Id == state.DeviceId, ct);
        var audits = new List<AuditEntry>();

        SettleSerial(db, device, NormaliseSerial(r.SerialNumber), agentId, now, audits);
        await SettlePrimaryMacAsync(db, device, macs.FirstOrDefault(), agentId, now, audits, ct);

        device.HostName = r.HostName.Trim();
        device.Model = r.Model.Trim();
        device.OsName = r.OsName.Trim();
        device.OsVersion = r.OsVersion.Trim();
        device.MacAddresses = string.Join(',', macs);
        device.Ipv4Interfaces = string.Join(',', interfaces.Select(i => $"{i.Item1}/{i.PrefixLength}"));
        device.UptimeSeconds = Math.Max(0, r.UptimeSeconds);
        device.FreeDiskBytes = Math.Max(0, r.FreeDiskBytes);
        device.InventoryHash = inventoryHash;
        device.InventoryAt = now;
        if (device.LastSeenAt < now) device.LastSeenAt = now;

        var changedLinks = !state.Subnets.Select(s => (s.SubnetId, s.Address)).ToHashSet().SetEquals(links.Select(l => (l.SubnetId, l.Address)));
        if (changedLinks)
        {
            await db.AgentAddresses.Where(a => a.AgentId == agentId).ExecuteDeleteAsync(ct);
            foreach (var link in links)
                db.AgentAddresses.Add(new AgentAddress { AgentId = agentId, SubnetId = link.SubnetId, Address = link.Address });
        }
        db.AuditEntries.AddRange(audits);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        return cache.Update(agentId, state with
        {
            InventoryHash = inventoryHash,
            BootedAt = now - TimeSpan.FromSeconds(device.UptimeSeconds),
            DeviceFreeDiskBytes = device.FreeDiskBytes,
            Subnets = changedLinks ? links : state.Subnets,
        });
    }

    /// <summary>
    /// A serial identifies one machine. If another device already holds the reported serial, the device that had it first keeps
    /// it and this device's serial is left unchanged (most often a copied agent state or a cloned image); the decision is audited.
    /// </summary>
    private static void SettleSerial(AppDbContext db, Device device, string? serial, Guid agentId, DateTimeOffset now, List<AuditEntry> audits)
    {
        if (serial is null || serial == device.SerialNumber) return;
        var holder = db.Devices.AsNoTracking().Where(d => d.SerialNumber == serial && d.Id != device.Id)
            .OrderBy(d => d.FirstSeenAt).Select(d => new { d.Id, d.HostName, d.FirstSeenAt }).FirstOrDefault();
        if (holder is not null)
        {
            audits.Add(Audit(now, device.Id, new { SerialNumber = device.SerialNumber }, new { ReportedSerial = serial },
                $"Agent {agentId} reported serial {serial}, which device {holder.HostName} ({holder.Id}) has held since {holder.FirstSeenAt:u}; " +
                $"that device keeps it and {device.HostName} keeps {device.SerialNumber ?? "no serial"}"));
            return;
        }
        if (device.SerialNumber is not null)
            audits.Add(Audit(now, device.Id, new { device.SerialNumber }, new { SerialNumber = serial },
                $"{device.HostName}: serial changed from {device.SerialNumber} to {serial} (reported by its agent {agentId})"));
        device.SerialNumber = serial;
    }

    /// <summary>
    /// MACs move between machines (USB and Thunderbolt adapters), so the latest report wins: the MAC becomes this device's primary
    /// MAC and is cleared on any other device that had it; the move is audited.
    /// </summary>
    private static async Task SettlePrimaryMacAsync(AppDbContext db, Device device, string? mac, Guid agentId, DateTimeOffset now, List<AuditEntry> audits, CancellationToken ct)
    {
        if (mac is null || mac == device.PrimaryMac) return;
        var others = await db.Devices.Where(d => d.PrimaryMac == mac && d.Id != device.Id).ToListAsync(ct);
        foreach (var other in others)
        {
            other.PrimaryMac = null;
            audits.Add(Audit(now, other.Id, new { PrimaryMac = mac }, new { PrimaryMac = (string?)null },
                $"Primary MAC {mac} moved from {other.HostName} to {device.HostName} (reported by agent {agentId}; the latest report wins)"));
        }
        device.PrimaryMac = mac;
    }

    private static AuditEntry Audit(DateTimeOffset now, Guid deviceId, object before, object after, string summary) => new()
    {
        At = now, UserName = "system", Action = "RecordCheckIn", EntityType = "Device", EntityId = deviceId.ToString(),
        Before = AuditTrail.Serialize(before), After = AuditTrail.Serialize(after), Summary = summary.Length > 1024 ? summary[..1024] : summary,
    };

    private async Task<AgentStateCache.Entry> WriteAgentStateAsync(
        Guid agentId, AgentStateCache.Entry state, CheckInRequest r, string stateHash, long freeDisk, DateTimeOffset now, CancellationToken ct)
    {
        var installed = r.InstalledSettings;
        var caps = r.Capabilities;
        var rep = r.Representative;
        using var writing = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.PushUrl, r.PushUrl)
            .SetProperty(a => a.AgentVersion, r.AgentVersion.Trim())
            .SetProperty(a => a.LastCheckInAt, now)
            .SetProperty(a => a.InstalledSettingRevisionId, r.InstalledSettingRevisionId)
            .SetProperty(a => a.InstalledSettingRevisionNumber, r.InstalledSettingRevisionNumber)
            .SetProperty(a => a.EnableSubnetServices, installed != null && installed.EnableSubnetServices)
            .SetProperty(a => a.EnablePxe, installed != null && installed.EnablePxe)
            .SetProperty(a => a.CheckInIntervalSeconds, NextCheckInSeconds(r, _defaultInterval))
            .SetProperty(a => a.PolicyIntervalSeconds, installed != null ? installed.PolicyIntervalSeconds : 900)
            .SetProperty(a => a.FreeDiskBytes, freeDisk)
            .SetProperty(a => a.Cores, caps != null ? caps.Cores : 0)
            .SetProperty(a => a.MemoryBytes, caps != null ? caps.MemoryBytes : 0)
            .SetProperty(a => a.IsServerOs, caps != null && caps.IsServerOs)
            .SetProperty(a => a.WiredLink, caps != null && caps.WiredLink)
            .SetProperty(a => a.RepresentativeSubnet, rep != null ? rep.Subnet : null)
            .SetProperty(a => a.RepresentativeTerm, rep != null ? rep.Term : (long?)null)
            .SetProperty(a => a.RepresentativeState, rep != null ? rep.State : (RepresentativeState?)null)
            .SetProperty(a => a.RepresentativeProgress, rep != null ? rep.SyncProgress : null)
            .SetProperty(a => a.RepresentativeCatalogueVersion, rep != null ? rep.CatalogueVersion : null)
            .SetProperty(a => a.RepresentativeError, rep != null && rep.Error != null ? Truncate(rep.Error, 1024) : null)
            .SetProperty(a => a.StateHash, stateHash), ct);
        return cache.Update(agentId, state with { StateHash = stateHash, AgentFreeDiskBytes = freeDisk });
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    public static string NormaliseMac(string mac) => mac.Trim().Replace('-', ':').ToUpperInvariant();

    public static string? NormaliseSerial(string? serial) => string.IsNullOrWhiteSpace(serial) ? null : serial.Trim().ToUpperInvariant();

    /// <summary>Hash of what the Device row stores, minus uptime and free disk (compared with tolerance instead).</summary>
    public static string InventoryHash(CheckInRequest r)
    {
        var sb = new StringBuilder(256);
        sb.Append(r.HostName).Append('\n').Append(r.OsName).Append('\n').Append(r.OsVersion).Append('\n').Append(r.Model).Append('\n')
          .Append(NormaliseSerial(r.SerialNumber)).Append('\n');
        foreach (var m in r.MacAddresses) sb.Append(NormaliseMac(m)).Append(',');
        sb.Append('\n');
        foreach (var i in r.Ipv4) sb.Append(i.Address).Append('/').Append(i.PrefixLength).Append(',');
        return Hash(sb);
    }

    /// <summary>Hash of the agent-side columns, minus free disk (compared with tolerance instead).</summary>
    public static string AgentStateHash(CheckInRequest r)
    {
        var sb = new StringBuilder(256);
        var s = r.InstalledSettings;
        var c = r.Capabilities;
        var p = r.Representative;
        sb.Append(r.PushUrl).Append('\n').Append(r.AgentVersion).Append('\n')
          .Append(r.InstalledSettingRevisionId).Append('/').Append(r.InstalledSettingRevisionNumber).Append('\n');
        if (s is not null) sb.Append(s.EnableSubnetServices).Append(s.EnablePxe).Append(s.CheckInIntervalSeconds).Append('/').Append(s.PolicyIntervalSeconds);
        sb.Append('\n');
        if (c is not null) sb.Append(c.Cores).Append('/').Append(c.MemoryBytes).Append('/').Append(c.IsServerOs).Append(c.WiredLink);
        sb.Append('\n');
        if (p is not null)
            sb.Append(p.Subnet).Append('/').Append(p.Term).Append('/').Append(p.State).Append('/')
              .Append(p.SyncProgress?.ToString("F2", CultureInfo.InvariantCulture)).Append('/').Append(p.CatalogueVersion).Append('/').Append(p.Error);
        return Hash(sb);
    }

    private static string Hash(StringBuilder sb)
    {
        var text = sb.ToString();
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 4096 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes[..n], hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}

/// <summary>
/// What the core last stored for each agent (device id, hashes, subnets, console assignments), so the check-in path needs no
/// database read while nothing changes. Entries expire after <see cref="Lifetime"/> so changes made elsewhere (another
/// instance, a console edit that does not call <see cref="Invalidate"/>) are picked up within that time.
/// </summary>
public sealed class AgentStateCache(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public sealed record Entry(
        Guid DeviceId, string? InventoryHash, DateTimeOffset BootedAt, long DeviceFreeDiskBytes,
        string? StateHash, long AgentFreeDiskBytes, IReadOnlyList<AgentSubnet> Subnets,
        Guid? AssignedSettingId, AgentPreference Preference, long LoadedAt);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public async ValueTask<Entry?> GetAsync(Guid agentId, CancellationToken ct)
    {
        if (_entries.TryGetValue(agentId, out var cached) && clock.GetElapsedTime(cached.LoadedAt) <= Lifetime) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => new
        {
            a.DeviceId, a.StateHash, a.FreeDiskBytes, a.AssignedSettingId, a.Preference,
            a.Device!.InventoryHash, a.Device.UptimeSeconds, a.Device.InventoryAt, DeviceFreeDisk = a.Device.FreeDiskBytes,
        }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            _entries.TryRemove(agentId, out _);
            return null;
        }
        var links = await db.AgentAddresses.AsNoTracking().Where(x => x.AgentId == agentId)
            .Select(x => new AgentSubnet(x.SubnetId, x.Subnet!.Cidr, x.Address)).ToListAsync(ct);
        var entry = new Entry(row.DeviceId, row.InventoryHash, row.InventoryAt - TimeSpan.FromSeconds(row.UptimeSeconds), row.DeviceFreeDisk,
            row.StateHash, row.FreeDiskBytes, links, row.AssignedSettingId, row.Preference, clock.GetTimestamp());
        return _entries[agentId] = entry;
    }

    internal Entry Update(Guid agentId, Entry entry) => _entries[agentId] = entry;

    /// <summary>Forget an agent (after enrolment, revocation, a console change to its preference or assigned setting).</summary>
    public void Invalidate(Guid agentId) => _entries.TryRemove(agentId, out _);
}

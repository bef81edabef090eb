using System.Text.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Subnets.Election;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Subnets;

/// <summary>Every subnet with its PXE service, for the subnet services page.</summary>
public sealed record ListSubnetServicesQuery(string? Search = null) : IQuery<IReadOnlyList<SubnetServiceRow>>;

public sealed record SubnetServiceRow(
    Guid SubnetId, string Cidr, string? Name, SubnetSource Source, bool PxeEnabled,
    SubnetServiceState State, string? StateReason, double? SyncProgress,
    Guid? RepresentativeId, string? RepresentativeName, string? RepresentativeAddress, long Term, DateTimeOffset? LeaseExpiresAt,
    int Agents, int EligibleCandidates, bool WhitelistPublished, bool OutsideWhitelist);

/// <summary>One subnet in full: candidates with scores, election history, whitelist planning.</summary>
public sealed record GetSubnetDetailQuery(Guid SubnetId) : IQuery<SubnetDetail?>;

public sealed record SubnetDetail(
    SubnetServiceRow Row, IReadOnlyList<CandidateView> Candidates, IReadOnlyList<ElectionEventView> History, WhitelistView Whitelist);

public sealed record CandidateView(
    Guid AgentId, string Name, string? Address, Inventory.AgentPreference Preference, CandidateStatus Status, int Points,
    IReadOnlyList<string> Parts, DateTimeOffset? LastSeenAt, bool IsRepresentative, int Rank);

public sealed record ElectionEventView(
    DateTimeOffset At, long Term, ElectionEventKind Kind, string? From, string? To, string Reason, IReadOnlyList<CandidateScoreRecord> Scores);

public sealed record WhitelistView(
    IReadOnlyList<string> CandidateAddresses, IReadOnlyList<string> Published, DateTimeOffset? PublishedAt, string? PublishedBy,
    IReadOnlyList<string> Commands, string? Warning, string? Advice);

public sealed class ListSubnetServicesHandler(IDbContextFactory<AppDbContext> dbFactory, ElectionEngine engine, TimeProvider clock) :
    IQueryHandler<ListSubnetServicesQuery, IReadOnlyList<SubnetServiceRow>>,
    IQueryHandler<GetSubnetDetailQuery, SubnetDetail?>
{
    public async ValueTask<IReadOnlyList<SubnetServiceRow>> Handle(ListSubnetServicesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnets = db.Subnets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Search))
            subnets = subnets.Where(s => s.Cidr.Contains(q.Search) || (s.Name != null && s.Name.Contains(q.Search)));
        var list = await subnets.OrderBy(s => s.NetworkNumber).ThenBy(s => s.PrefixLength).ToListAsync(ct);
        var services = await db.SubnetServices.AsNoTracking().Where(s => s.Service == SubnetService.Pxe).ToDictionaryAsync(s => s.SubnetId, ct);
        var whitelists = await db.PublishedWhitelists.AsNoTracking().ToDictionaryAsync(w => w.SubnetId, ct);
        var now = clock.GetUtcNow();
        var rows = new List<SubnetServiceRow>(list.Count);
        foreach (var subnet in list)
        {
            var candidates = await SubnetElection.LoadCandidatesAsync(db, subnet.Id, services.GetValueOrDefault(subnet.Id)?.Id, ct);
            rows.Add(BuildRow(subnet, services.GetValueOrDefault(subnet.Id), whitelists.GetValueOrDefault(subnet.Id), candidates, now));
        }
        return rows;
    }

    public async ValueTask<SubnetDetail?> Handle(GetSubnetDetailQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == q.SubnetId, ct);
        if (subnet is null) return null;
        var svc = await db.SubnetServices.AsNoTracking().FirstOrDefaultAsync(s => s.SubnetId == subnet.Id && s.Service == SubnetService.Pxe, ct);
        var whitelist = await db.PublishedWhitelists.AsNoTracking().FirstOrDefaultAsync(w => w.SubnetId == subnet.Id, ct);
        var candidates = await SubnetElection.LoadCandidatesAsync(db, subnet.Id, svc?.Id, ct);
        var now = clock.GetUtcNow();
        var row = BuildRow(subnet, svc, whitelist, candidates, now);

        var ranking = engine.Rank(candidates.Select(c => c.Candidate), svc?.ToLease() ?? SubnetLease.Empty, now);
        var views = ranking.Select((r, i) =>
        {
            var loaded = candidates.First(c => c.Candidate.AgentId == r.Candidate.AgentId);
            return new CandidateView(r.Candidate.AgentId, r.Candidate.Name, r.Candidate.Address, (Inventory.AgentPreference)(int)r.Score.Preference,
                r.Status, r.Score.CapabilityPoints, r.Score.Parts.Select(p => $"{p.Fact} +{p.Points}").ToList(), loaded.LastCheckInAt,
                r.Candidate.AgentId == svc?.RepresentativeAgentId, i + 1);
        }).ToList();

        var history = svc is null ? [] : (await db.ElectionEvents.AsNoTracking().Where(e => e.SubnetServiceId == svc.Id)
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(50).ToListAsync(ct))
            .Select(e => new ElectionEventView(e.At, e.Term, e.Kind, e.FromName ?? e.FromAgentId?.ToString(), e.ToName ?? e.ToAgentId?.ToString(), e.Reason,
                JsonSerializer.Deserialize<List<CandidateScoreRecord>>(e.ScoresJson) ?? []))
            .ToList();

        var candidateAddresses = SipWhitelist.Normalise(ranking.Where(r => r.Status != CandidateStatus.SettingOff && r.Candidate.Address is not null)
            .Select(r => r.Candidate.Address!));
        var published = whitelist?.AddressList ?? [];
        string? warning = null;
        if (row.OutsideWhitelist)
            warning = $"The representative {row.RepresentativeName} ({row.RepresentativeAddress}) is outside the published whitelist: SIP-protected Macs blessed to this subnet's servers will not NetBoot from it (N-key and Option-key boots still work). Pin a whitelisted agent, or publish a whitelist that includes it.";
        var pinned = ranking.Count(r => r.Score.Preference == CandidatePreference.Pinned);
        var advice = pinned == 0 && candidateAddresses.Count > 1
            ? $"{candidateAddresses.Count} agents could serve this subnet, so the representative's address can change. Where Macs are blessed (csrutil netboot) across subnets, pin a small pool of agents and whitelist exactly their addresses."
            : null;
        return new SubnetDetail(row, views, history,
            new WhitelistView(candidateAddresses, published, whitelist?.PublishedAt, whitelist?.PublishedBy, SipWhitelist.Commands(published), warning, advice));
    }

    private SubnetServiceRow BuildRow(Subnet subnet, SubnetService? svc, PublishedWhitelist? whitelist, List<SubnetElection.LoadedCandidate> candidates, DateTimeOffset now)
    {
        var ranking = engine.Rank(candidates.Select(c => c.Candidate), svc?.ToLease() ?? SubnetLease.Empty, now);
        var rep = svc?.RepresentativeAgentId is { } id ? candidates.FirstOrDefault(c => c.Candidate.AgentId == id) : null;
        var outside = whitelist is not null && rep?.Address is { } address && !whitelist.AddressList.Contains(address);
        return new SubnetServiceRow(subnet.Id, subnet.Cidr, subnet.Name, subnet.Source, svc?.DesiredEnabled ?? false,
            svc?.State ?? SubnetServiceState.Disabled, svc?.StateReason, svc?.SyncProgress,
            svc?.RepresentativeAgentId, rep?.Candidate.Name, rep?.Address, svc?.Term ?? 0, svc?.LeaseExpiresAt,
            candidates.Count, ranking.Count(r => r.IsEligible), whitelist is not null, outside);
    }
}

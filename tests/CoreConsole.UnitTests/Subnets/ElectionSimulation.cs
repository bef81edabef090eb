using CoreConsole.Application.Features.Subnets.Election;

namespace CoreConsole.UnitTests.Subnets;

/// <summary>
/// A model of one subnet: the core (lease row + <see cref="ElectionEngine"/> judged by the core's clock) and agents that
/// behave like the real one — a lease counts on the agent's monotonic clock from when it SENT the check-in, a killed agent
/// serves nothing, a partitioned one keeps serving until its own lease ends. Time is in milliseconds of true time; the core's
/// clock and the agents' monotonic clocks run at true rate (a clock step = <see cref="Advance"/>).
/// </summary>
internal sealed class ElectionSimulation
{
    public sealed class SimAgent(Guid id, int index)
    {
        public Guid Id { get; } = id;
        public string Name { get; } = $"agent-{index}";
        public bool Alive { get; set; } = true;
        public bool Connected { get; set; } = true;
        public bool SettingEnabled { get; set; } = true;
        public CandidatePreference Preference { get; set; }
        public CandidateFacts Facts { get; set; } = CandidateFacts.Unknown;
        /// <summary>Agent-side lease: term and expiry in true time (sentAt + duration).</summary>
        public long? HeldTerm { get; set; }
        public long HeldUntilMs { get; set; }
        /// <summary>Core-side view of the agent.</summary>
        public DateTimeOffset? LastSeenAt { get; set; }
        public TimeSpan ToldInterval { get; set; } = TimeSpan.FromSeconds(5);
        public long NextCheckInMs { get; set; }

        public bool IsServing(long nowMs) => Alive && HeldTerm is not null && nowMs < HeldUntilMs;
    }

    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ElectionEngine _engine;
    private readonly Queue<Guid> _pushes = new();

    public ElectionSimulation(IReadOnlyList<SimAgent> agents, ElectionOptions? options = null)
    {
        Agents = agents;
        _engine = new ElectionEngine(options ?? new ElectionOptions());
    }

    public IReadOnlyList<SimAgent> Agents { get; }
    public long NowMs { get; private set; }
    public DateTimeOffset CoreNow => Epoch.AddMilliseconds(NowMs);
    public bool Enabled { get; set; } = true;
    public SubnetLease Lease { get; private set; } = SubnetLease.Empty;
    public List<ElectionChange> History { get; } = [];
    public ElectionOptions Options => _engine.Options;
    public ElectionOutcome? LastOutcome { get; private set; }

    public void Advance(long ms)
    {
        NowMs += ms;
        AssertSafe();
    }

    /// <summary>One check-in: sent now, processed by the core <paramref name="transitMs"/> later, reply lost or applied.</summary>
    public void CheckIn(SimAgent agent, int transitMs = 0, bool loseReply = false)
    {
        if (!agent.Alive || !agent.Connected) return;
        var sentAtMs = NowMs;
        if (agent.HeldTerm is not null && NowMs >= agent.HeldUntilMs) agent.HeldTerm = null; // the agent's own expiry
        var reportsTerm = agent.HeldTerm;
        Advance(transitMs);

        agent.LastSeenAt = CoreNow;
        var outcome = Decide(new ElectionTrigger.CheckIn(agent.Id, reportsTerm is { } t && t == Lease.Term));
        agent.ToldInterval = outcome.NextCheckIn ?? TimeSpan.FromSeconds(5);
        agent.NextCheckInMs = NowMs + (long)agent.ToldInterval.TotalMilliseconds;
        if (loseReply || !agent.Alive) return;

        if (outcome.Role is { } role && sentAtMs + (long)role.Duration.TotalMilliseconds > NowMs)
        {
            agent.HeldTerm = role.Term;
            agent.HeldUntilMs = sentAtMs + (long)role.Duration.TotalMilliseconds;
        }
        else
        {
            agent.HeldTerm = null; // no role in the reply: stop at once
        }
        AssertSafe();
    }

    public void Sweep() => Decide(ElectionTrigger.Sweep.Instance);

    /// <summary>Delivers queued CheckInNow pushes to agents that can receive them.</summary>
    public void DeliverPushes()
    {
        var rounds = 0;
        while (_pushes.Count > 0 && rounds++ < 20)
        {
            var id = _pushes.Dequeue();
            var agent = Agents.Single(a => a.Id == id);
            CheckIn(agent);
        }
        _pushes.Clear();
    }

    public void Kill(SimAgent agent)
    {
        agent.Alive = false;
        agent.HeldTerm = null;
    }

    public void Start(SimAgent agent) => agent.Alive = true;

    private ElectionOutcome Decide(ElectionTrigger trigger)
    {
        var candidates = Agents.Where(a => a.LastSeenAt is not null).Select(a => new ElectionCandidate
        {
            AgentId = a.Id, Name = a.Name, Preference = a.Preference, Facts = a.Facts, SettingEnabled = a.SettingEnabled,
            LastSeenAt = a.LastSeenAt!.Value, CheckInInterval = a.ToldInterval,
        }).ToList();
        var before = Lease;
        var outcome = _engine.Decide(new ElectionInput(Enabled, Lease, candidates, CoreNow, trigger));
        LastOutcome = outcome;
        if (outcome.Changed) Lease = outcome.Lease;
        else outcome.Lease.ShouldBe(before, "an unchanged outcome must return the same lease");
        foreach (var e in outcome.Events)
        {
            if (e.Kind == ElectionEventKind.Elected)
                e.Term.ShouldBeGreaterThan(History.Where(h => h.Kind == ElectionEventKind.Elected).Select(h => h.Term).DefaultIfEmpty(0).Max(),
                    "terms strictly increase");
            History.Add(e);
        }
        Lease.Term.ShouldBeGreaterThanOrEqualTo(before.Term, "the term never goes back");
        foreach (var id in outcome.Push) _pushes.Enqueue(id);
        return outcome;
    }

    /// <summary>At most one agent serves the subnet at this instant.</summary>
    public void AssertSafe()
    {
        var serving = Agents.Where(a => a.IsServing(NowMs)).ToList();
        serving.Count.ShouldBeLessThanOrEqualTo(1,
            $"two representatives at t={NowMs} ms: {string.Join(", ", serving.Select(a => $"{a.Name} term {a.HeldTerm} until {a.HeldUntilMs}"))}; " +
            $"history: {string.Join(" | ", History.Select(h => $"{h.Kind} {h.Term} {h.Reason}"))}");
    }

    /// <summary>Runs the fleet as the real one runs for <paramref name="ms"/>: due check-ins, pushes, a sweep every second.</summary>
    public void RunSteady(long ms, int stepMs = 250)
    {
        var end = NowMs + ms;
        var nextSweep = NowMs;
        while (NowMs < end)
        {
            foreach (var agent in Agents.Where(a => a.Alive && a.Connected && NowMs >= a.NextCheckInMs))
            {
                CheckIn(agent);
            }
            if (NowMs >= nextSweep)
            {
                Sweep();
                nextSweep = NowMs + (long)Options.SweepInterval.TotalMilliseconds;
            }
            DeliverPushes();
            Advance(stepMs);
        }
    }

    public SimAgent? Serving => Agents.SingleOrDefault(a => a.IsServing(NowMs));
}

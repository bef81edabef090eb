using CoreConsole.Application.Features.Subnets.Election;
using CsCheck;

namespace CoreConsole.UnitTests.Subnets;

/// <summary>
/// Random sequences of joins, leaves (kill -9), partitions, heartbeats with transit delay and lost replies, pins, setting and
/// desired-state changes and clock steps, checked against the election's promises at every instant.
/// </summary>
public sealed class ElectionPropertyTests
{
    private abstract record Op;
    private sealed record AdvanceOp(int Ms) : Op;
    private sealed record CheckInOp(int Agent, int TransitMs, bool LoseReply) : Op;
    private sealed record SweepOp : Op;
    private sealed record KillOp(int Agent) : Op;
    private sealed record StartOp(int Agent) : Op;
    private sealed record PartitionOp(int Agent, bool Cut) : Op;
    private sealed record PreferenceOp(int Agent, CandidatePreference Preference) : Op;
    private sealed record SettingOp(int Agent, bool Enabled) : Op;
    private sealed record EnabledOp(bool Enabled) : Op;
    private sealed record PushOp : Op;

    private const int AgentCount = 4;
    private static readonly Gen<int> AgentIndex = Gen.Int[0, AgentCount - 1];

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (6, Gen.Int[0, 4000].Select(ms => (Op)new AdvanceOp(ms))),
        (8, Gen.Select(AgentIndex, Gen.Int[0, 1500], Gen.Int[0, 9], (a, t, lose) => (Op)new CheckInOp(a, t, lose == 0))),
        (4, Gen.Const((Op)new SweepOp())),
        (3, Gen.Const((Op)new PushOp())),
        (1, AgentIndex.Select(a => (Op)new KillOp(a))),
        (2, AgentIndex.Select(a => (Op)new StartOp(a))),
        (1, Gen.Select(AgentIndex, Gen.Bool, (a, cut) => (Op)new PartitionOp(a, cut))),
        (1, Gen.Select(AgentIndex, Gen.Int[0, 2], (a, p) => (Op)new PreferenceOp(a, (CandidatePreference)p))),
        (1, Gen.Select(AgentIndex, Gen.Int[0, 5], (a, on) => (Op)new SettingOp(a, on > 0))),
        (1, Gen.Int[0, 5].Select(on => (Op)new EnabledOp(on > 0))));

    private static readonly Gen<CandidateFacts> GenFacts = Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[1, 32], Gen.Long[1L << 30, 64L << 30],
        Gen.Long[0, 500L << 30], (wired, server, cores, memory, disk) => new CandidateFacts(wired, server, cores, memory, disk));

    private static readonly Gen<(CandidateFacts[] Facts, Op[] Ops)> GenCase =
        Gen.Select(GenFacts.Array[AgentCount], GenOp.Array[1, 80]);

    private static ElectionSimulation Build(CandidateFacts[] facts)
    {
        var agents = facts.Select((f, i) => new ElectionSimulation.SimAgent(new Guid(i + 1, 0, 0, new byte[8]), i) { Facts = f }).ToList();
        return new ElectionSimulation(agents);
    }

    private static void Run(ElectionSimulation sim, IEnumerable<Op> ops)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case AdvanceOp a: sim.Advance(a.Ms); break;
                case CheckInOp c: sim.CheckIn(sim.Agents[c.Agent], c.TransitMs, c.LoseReply); break;
                case SweepOp: sim.Sweep(); break;
                case PushOp: sim.DeliverPushes(); break;
                case KillOp k: sim.Kill(sim.Agents[k.Agent]); break;
                case StartOp s: sim.Start(sim.Agents[s.Agent]); break;
                case PartitionOp p: sim.Agents[p.Agent].Connected = !p.Cut; break;
                case PreferenceOp p: sim.Agents[p.Agent].Preference = p.Preference; break;
                case SettingOp s: sim.Agents[s.Agent].SettingEnabled = s.Enabled; break;
                case EnabledOp e: sim.Enabled = e.Enabled; break;
            }
            sim.AssertSafe();
        }
    }

    [Fact]
    public void At_most_one_agent_serves_and_terms_strictly_increase_whatever_happens()
    {
        // AssertSafe runs after every step and every reply; the simulation checks term order on every event.
        GenCase.Sample(c => Run(Build(c.Facts), c.Ops), iter: 3000);
    }

    [Fact]
    public void Once_things_calm_down_an_online_candidate_serves_and_a_pinned_one_is_preferred()
    {
        GenCase.Sample(c =>
        {
            var sim = Build(c.Facts);
            Run(sim, c.Ops);

            sim.RunSteady(30_000);

            var reachable = sim.Agents.Where(a => a.Alive && a.Connected && a.SettingEnabled).ToList();
            var serving = sim.Serving;
            if (!sim.Enabled)
            {
                serving.ShouldBeNull("a disabled subnet has no representative");
                return;
            }
            if (reachable.Count == 0) return;
            serving.ShouldNotBeNull($"no starvation: {reachable.Count} reachable candidates but nobody serves; lease {sim.Lease}");
            sim.Lease.RepresentativeId.ShouldBe(serving.Id);
            serving.SettingEnabled.ShouldBeTrue();
            if (reachable.Any(a => a.Preference == CandidatePreference.Pinned))
                serving.Preference.ShouldBe(CandidatePreference.Pinned, "a pinned online agent wins");
        }, iter: 400);
    }
}

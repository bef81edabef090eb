using CoreConsole.Application.Features.Subnets.Election;

namespace CoreConsole.UnitTests.Subnets;

public sealed class ElectionEngineTests
{
    private static ElectionSimulation TwoAgents(out ElectionSimulation.SimAgent a, out ElectionSimulation.SimAgent b)
    {
        a = new ElectionSimulation.SimAgent(new Guid("00000000-0000-0000-0000-00000000000a"), 1) { Facts = new(true, true, 8, 16L << 30, 100L << 30) };
        b = new ElectionSimulation.SimAgent(new Guid("00000000-0000-0000-0000-00000000000b"), 2) { Facts = new(true, false, 4, 8L << 30, 50L << 30) };
        return new ElectionSimulation([a, b]);
    }

    [Fact]
    public void Pinned_beats_preferred_beats_capability_then_agent_id_breaks_ties()
    {
        var strong = new CandidateFacts(true, true, 16, 64L << 30, 500L << 30);
        var weak = CandidateFacts.Unknown;
        var low = new Guid("00000000-0000-0000-0000-000000000001");
        var high = new Guid("00000000-0000-0000-0000-000000000002");

        CandidateScoring.Score(high, CandidatePreference.Pinned, weak).CompareTo(CandidateScoring.Score(low, CandidatePreference.Preferred, strong)).ShouldBeLessThan(0);
        CandidateScoring.Score(high, CandidatePreference.Preferred, weak).CompareTo(CandidateScoring.Score(low, CandidatePreference.None, strong)).ShouldBeLessThan(0);
        CandidateScoring.Score(high, CandidatePreference.None, strong).CompareTo(CandidateScoring.Score(low, CandidatePreference.None, weak)).ShouldBeLessThan(0);
        CandidateScoring.Score(low, CandidatePreference.None, weak).CompareTo(CandidateScoring.Score(high, CandidatePreference.None, weak)).ShouldBeLessThan(0);
    }

    [Fact]
    public void Capability_points_are_capped_so_a_wired_link_outweighs_a_huge_disk()
    {
        var wired = CandidateScoring.Score(Guid.NewGuid(), CandidatePreference.None, new CandidateFacts(true, false, 1, 1L << 30, 0));
        var bigDisk = CandidateScoring.Score(Guid.NewGuid(), CandidatePreference.None, new CandidateFacts(false, false, 1, 1L << 30, 100_000L << 30));
        wired.CapabilityPoints.ShouldBeGreaterThan(bigDisk.CapabilityPoints);
        bigDisk.Parts.ShouldContain(p => p.Fact.Contains("free disk") && p.Points == 20);
    }

    [Fact]
    public void The_first_check_in_on_an_enabled_subnet_elects_the_agent_and_renewals_keep_the_term()
    {
        var sim = TwoAgents(out var a, out _);
        sim.CheckIn(a);
        a.HeldTerm.ShouldBe(1);
        sim.LastOutcome!.NextCheckIn.ShouldBe(sim.Options.RepresentativeCheckIn);
        sim.Advance(2000);
        sim.CheckIn(a);
        a.HeldTerm.ShouldBe(1);
        sim.Lease.ExpiresAt.ShouldBe(sim.CoreNow + sim.Options.LeaseDuration);
        sim.History.Count(h => h.Kind == ElectionEventKind.Elected).ShouldBe(1);
    }

    [Fact]
    public void A_killed_representative_is_replaced_after_lease_and_grace_and_is_not_re_elected_while_silent()
    {
        var sim = TwoAgents(out var a, out var b);
        sim.CheckIn(b);     // b checks in first and is elected (a has not been seen)
        sim.CheckIn(a);
        sim.Lease.RepresentativeId.ShouldBe(b.Id);
        sim.Kill(b);
        sim.Advance(5_999);
        sim.Sweep();
        sim.Lease.RepresentativeId.ShouldBe(b.Id, "still within the lease");
        sim.Advance(1_000);
        sim.Sweep();
        sim.Lease.RepresentativeId.ShouldBe(b.Id, "still within the grace");
        sim.Advance(1);
        sim.Sweep();
        sim.Lease.RepresentativeId.ShouldBe(a.Id);
        sim.Lease.Term.ShouldBe(2);
        sim.LastOutcome!.Push.ShouldBe([a.Id], "the new representative is pushed to check in now");
        sim.Lease.Unresponsive.ShouldContainKey(b.Id);
        sim.DeliverPushes();
        a.HeldTerm.ShouldBe(2);
    }

    [Fact]
    public void A_pin_takes_over_through_a_handover_without_overlap()
    {
        var sim = TwoAgents(out var a, out var b);
        sim.CheckIn(a);
        sim.CheckIn(b);
        sim.Lease.RepresentativeId.ShouldBe(a.Id);
        b.Preference = CandidatePreference.Pinned;
        sim.Sweep();
        sim.LastOutcome!.Push.ShouldBe([a.Id]);
        sim.History.Last().Kind.ShouldBe(ElectionEventKind.HandoverRequested);
        sim.DeliverPushes();              // a checks in: no role, stops, asked back in 1 s
        a.HeldTerm.ShouldBeNull();
        sim.LastOutcome.NextCheckIn.ShouldBe(sim.Options.HandoverCheckIn);
        sim.Advance(1000);
        sim.CheckIn(a);                   // a confirms → b elected at once
        sim.Lease.RepresentativeId.ShouldBe(b.Id);
        sim.DeliverPushes();
        b.HeldTerm.ShouldBe(2);
    }

    [Fact]
    public void A_preferred_agent_does_not_take_over_a_healthy_representative()
    {
        var sim = TwoAgents(out var a, out var b);
        sim.CheckIn(a);
        b.Preference = CandidatePreference.Preferred;
        sim.CheckIn(b);
        sim.Sweep();
        sim.Lease.RepresentativeId.ShouldBe(a.Id);
        sim.LastOutcome!.Push.ShouldBeEmpty();
    }

    [Fact]
    public void Disabling_the_subnet_withdraws_the_role_and_elects_nobody()
    {
        var sim = TwoAgents(out var a, out var b);
        sim.CheckIn(a);
        sim.CheckIn(b);
        sim.Enabled = false;
        sim.Sweep();
        sim.LastOutcome!.Push.ShouldBe([a.Id]);
        sim.DeliverPushes();
        a.HeldTerm.ShouldBeNull();
        sim.Advance(1000);
        sim.CheckIn(a);
        sim.Lease.RepresentativeId.ShouldBeNull();
        sim.History.Last().Kind.ShouldBe(ElectionEventKind.Released);
    }

    [Fact]
    public void A_representative_cut_off_from_the_core_stops_before_anyone_else_starts()
    {
        var sim = TwoAgents(out var a, out var b);
        sim.CheckIn(a, transitMs: 300);
        sim.CheckIn(b);
        a.Connected = false;
        for (var i = 0; i < 40; i++)
        {
            sim.Advance(250);
            sim.Sweep();
            sim.DeliverPushes();
        }
        a.IsServing(sim.NowMs).ShouldBeFalse();
        b.IsServing(sim.NowMs).ShouldBeTrue();
    }

    [Fact]
    public void Why_no_candidate_names_the_cause()
    {
        var engine = new ElectionEngine(new ElectionOptions());
        var now = DateTimeOffset.UtcNow;
        ElectionEngine.WhyNoCandidate([]).ShouldBe("No agent has checked in from this subnet.");
        var off = new ElectionCandidate { AgentId = Guid.NewGuid(), LastSeenAt = now, SettingEnabled = false };
        ElectionEngine.WhyNoCandidate(engine.Rank([off], SubnetLease.Empty, now))!.ShouldContain("none has self-electing subnet services and the PXE service enabled");
        var offline = new ElectionCandidate { AgentId = Guid.NewGuid(), LastSeenAt = now.AddHours(-1), SettingEnabled = true };
        ElectionEngine.WhyNoCandidate(engine.Rank([off, offline], SubnetLease.Empty, now))!.ShouldStartWith("Every agent with the setting is offline");
        var online = offline with { LastSeenAt = now };
        ElectionEngine.WhyNoCandidate(engine.Rank([online], SubnetLease.Empty, now)).ShouldBeNull();
    }
}

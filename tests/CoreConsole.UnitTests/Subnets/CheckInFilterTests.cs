using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets.Election;

namespace CoreConsole.UnitTests.Subnets;

/// <summary>Which check-ins may skip the election's queries: only those with nothing to decide.</summary>
public sealed class CheckInFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Lab = Guid.NewGuid(), Studio = Guid.NewGuid(), Me = Guid.NewGuid(), Other = Guid.NewGuid();

    private static AgentCheckInContext Agent(AgentPreference preference = AgentPreference.None) =>
        new(Me, Guid.NewGuid(), [new AgentSubnet(Lab, "10.0.1.0/24", "10.0.1.20")], null, preference, Now);

    private static SubnetServiceSnapshot.Row Healthy(Guid subnet, Guid? rep = null) =>
        new(Guid.NewGuid(), subnet, rep ?? Other, DesiredEnabled: true, Now.AddSeconds(4), HandoverReason: null, UnresponsiveAgents: "{}");

    private static bool Needs(AgentCheckInContext agent, params SubnetServiceSnapshot.Row[] rows) =>
        SubnetElection.MayNeedDecision(agent, new SubnetServiceSnapshot.View(rows), Now);

    [Fact]
    public void Nothing_active_on_its_subnets_or_a_healthy_representative_there_needs_no_decision()
    {
        Needs(Agent()).ShouldBeFalse();
        Needs(Agent(), Healthy(Studio), Healthy(Studio, rep: Guid.NewGuid())).ShouldBeFalse("other subnets are not its business");
        Needs(Agent(), Healthy(Lab)).ShouldBeFalse("a standby beside a healthy representative");
    }

    [Fact]
    public void Every_reason_to_decide_is_seen()
    {
        Needs(Agent(), Healthy(Studio, rep: Me)).ShouldBeTrue("it represents a subnet, wherever that is");
        Needs(Agent(), Healthy(Lab) with { RepresentativeAgentId = null }).ShouldBeTrue("enabled with nobody serving");
        Needs(Agent(), Healthy(Lab) with { LeaseExpiresAt = Now.AddSeconds(-1) }).ShouldBeTrue("the lease lapsed");
        Needs(Agent(), Healthy(Lab) with { LeaseExpiresAt = null }).ShouldBeTrue();
        Needs(Agent(), Healthy(Lab) with { DesiredEnabled = false }).ShouldBeTrue("disabled but still held");
        Needs(Agent(), Healthy(Lab) with { HandoverReason = "pinned elsewhere" }).ShouldBeTrue("a handover is under way");
        Needs(Agent(AgentPreference.Pinned), Healthy(Lab)).ShouldBeTrue("a pinned agent may take over");
        Needs(Agent(), Healthy(Lab) with { UnresponsiveAgents = $"{{\"{Me:D}\":1}}" }).ShouldBeTrue("it is eligible again");
    }
}

using CoreConsole.Application.Features.Subnets.Election;

namespace CoreConsole.UnitTests.Subnets;

/// <summary>What the audit log says for each kind of election change: who, which subnet, which term, why.</summary>
public sealed class ElectionAuditSummaryTests
{
    [Theory]
    [InlineData(ElectionEventKind.Elected, null, "lab-b", "10.0.1.0/24: lab-b elected representative (term 3); best candidate lab-b")]
    [InlineData(ElectionEventKind.Lapsed, "lab-a", null, "10.0.1.0/24: best candidate lab-b (term 3)")]
    [InlineData(ElectionEventKind.HandoverRequested, "lab-a", null, "10.0.1.0/24: lab-a asked to hand over (term 3): best candidate lab-b")]
    [InlineData(ElectionEventKind.Released, "lab-a", null, "10.0.1.0/24: lab-a released the lease (term 3): best candidate lab-b")]
    public void Names_the_subnet_the_agent_and_the_term(ElectionEventKind kind, string? from, string? to, string expected)
    {
        var change = new ElectionChange(kind, 3, from is null ? null : Guid.NewGuid(), to is null ? null : Guid.NewGuid(), "best candidate lab-b");
        SubnetElection.AuditSummary("10.0.1.0/24", change, from, to).ShouldBe(expected);
    }
}

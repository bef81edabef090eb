using System.Collections.Concurrent;
using CoreConsole.Agent.Representative;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests.Support;

/// <summary>Records the seam's calls so tests can see when the loop would start and stop serving.</summary>
internal sealed class RecordingRepresentativeService : IRepresentativeService
{
    private RepresentativeRole? _role;
    public ConcurrentQueue<string> Calls { get; } = new();

    public RepresentativeStatus? Status => _role is null ? null : new RepresentativeStatus { Subnet = _role.Subnet, Term = _role.Term, State = RepresentativeState.Idle };

    public Task OnLeaseAsync(RepresentativeRole role, CatalogueReference? catalogue, CancellationToken cancellationToken)
    {
        _role = role;
        Calls.Enqueue($"lease {role.Subnet} term {role.Term} catalogue {catalogue?.Version}");
        return Task.CompletedTask;
    }

    public Task StopAsync(string reason, CancellationToken cancellationToken)
    {
        _role = null;
        Calls.Enqueue($"stop: {reason}");
        return Task.CompletedTask;
    }
}

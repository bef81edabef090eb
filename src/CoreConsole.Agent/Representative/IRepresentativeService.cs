using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Representative;

/// <summary>
/// The seam to the NetBoot serving side. The check-in loop calls <see cref="OnLeaseAsync"/> on every reply that carries a role
/// (first grant, renewal, or a new term) and <see cref="StopAsync"/> when the role is withdrawn or the lease runs out on the
/// monotonic clock. An implementation syncs the catalogue's files and runs BSDP/TFTP only between those calls.
/// </summary>
public interface IRepresentativeService
{
    /// <summary>Start or keep serving <paramref name="role"/>; cheap when nothing changed since the last call.</summary>
    Task OnLeaseAsync(RepresentativeRole role, CatalogueReference? catalogue, CancellationToken cancellationToken);

    /// <summary>Stop serving at once (lease lost/expired, agent stopping). Safe to call when not serving.</summary>
    Task StopAsync(string reason, CancellationToken cancellationToken);

    /// <summary>Reported in the next check-in; null when holding no role.</summary>
    RepresentativeStatus? Status { get; }
}

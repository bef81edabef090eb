using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Representative;

/// <summary>
/// Placeholder until the NetBoot serving lands: logs lease changes and honestly reports state "idle" — it serves nothing.
/// </summary>
public sealed partial class LoggingRepresentativeService(ILogger<LoggingRepresentativeService> logger) : IRepresentativeService
{
    private RepresentativeRole? _role;
    private string? _catalogueVersion;

    public RepresentativeStatus? Status => _role is null ? null : new RepresentativeStatus
    {
        Subnet = _role.Subnet,
        Term = _role.Term,
        State = RepresentativeState.Idle,
        CatalogueVersion = _catalogueVersion,
    };

    public Task OnLeaseAsync(RepresentativeRole role, CatalogueReference? catalogue, CancellationToken cancellationToken)
    {
        if (_role is null || _role.Term != role.Term || _role.Subnet != role.Subnet || _catalogueVersion != catalogue?.Version)
            LogLease(role.Subnet, role.Term, role.LeaseSeconds, catalogue?.Version ?? "none");
        _role = role;
        _catalogueVersion = catalogue?.Version;
        return Task.CompletedTask;
    }

    public Task StopAsync(string reason, CancellationToken cancellationToken)
    {
        if (_role is not null) LogStop(_role.Subnet, _role.Term, reason);
        _role = null;
        _catalogueVersion = null;
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elected representative for {Subnet} (term {Term}, lease {LeaseSeconds} s, catalogue {Catalogue}); NetBoot serving is not built into this agent yet, reporting idle")]
    private partial void LogLease(string subnet, long term, int leaseSeconds, string catalogue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Representative role for {Subnet} (term {Term}) ended: {Reason}")]
    private partial void LogStop(string subnet, long term, string reason);
}

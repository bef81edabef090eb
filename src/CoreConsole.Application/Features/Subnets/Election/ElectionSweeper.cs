using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoreConsole.Application.Features.Subnets.Election;

/// <summary>
/// Notices lapsed leases and subnets waiting for a representative even when nobody checks in (the representative was
/// killed), so the next best candidate is elected and pushed within a second of the lapse (+ grace).
/// </summary>
public sealed partial class ElectionSweeper(SubnetElection election, IOptions<ElectionOptions> options, TimeProvider clock, ILogger<ElectionSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                await election.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Election sweep failed; retrying at the next tick")]
    private partial void LogSweepFailed(Exception e);
}

using CoreConsole.Application.Common.Persistence;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoreConsole.Web.Setup;

internal static class HealthSetup
{
    public static IServiceCollection AddCoreConsoleHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobsHealthCheck>("jobs");
        return services;
    }

    private sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
                : HealthCheckResult.Unhealthy("Database unreachable");
        }
    }

    private sealed class JobsHealthCheck(JobStorage storage, IConfiguration config) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var servers = storage.GetMonitoringApi().Servers();
            var expected = config.GetValue("Hangfire:Server:Enabled", true);
            return Task.FromResult(!expected || servers.Count > 0
                ? HealthCheckResult.Healthy($"{servers.Count} job server(s)")
                : HealthCheckResult.Unhealthy("No job server is running"));
        }
    }
}

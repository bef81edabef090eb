using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.AgentSettings;

/// <summary>
/// Makes sure exactly one default agent setting exists, so a newly enrolled agent always has something to want.
/// Idempotent: an existing default is left alone; a concurrent seeder losing the unique-index race is fine.
/// </summary>
public sealed class DefaultAgentSettingSeeder(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<DefaultAgentSettingSeeder> logger)
    : IHostedService
{
    public const string DefaultName = "Default";

    public async Task StartAsync(CancellationToken ct) => await EnsureDefaultAsync(ct);

    /// <summary>Returns the default setting's id, creating it when there is none.</summary>
    public async Task<Guid> EnsureDefaultAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.AgentSettings.AsNoTracking().Where(s => s.IsDefault).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct) is { } existing)
            return existing;

        // An admin may have deleted the default's name for another profile; pick a free name rather than fail start-up.
        var name = DefaultName;
        for (var n = 2; await db.AgentSettings.AnyAsync(s => s.Name == name, ct); n++) name = $"{DefaultName} {n}";
        try
        {
            var setting = await ManageAgentSettingsHandler.AddAsync(db, name, "Created at first start: no subnet services, no PXE.",
                AgentSettingLimits.DefaultValues, isDefault: true, clock.GetUtcNow(), "system", ct);
            logger.LogInformation("Seeded the default agent setting {Name}", name);
            return setting.Id;
        }
        catch (DbUpdateException)
        {
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return await again.AgentSettings.Where(s => s.IsDefault).Select(s => s.Id).FirstAsync(ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

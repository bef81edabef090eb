using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Common.Persistence;

/// <summary>
/// The one DbContext. Always created per operation through IDbContextFactory (a Blazor circuit is long-lived).
/// Entity configuration is provider-neutral: every feature contributes IEntityTypeConfiguration classes in this assembly.
/// </summary>
public class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<Features.NetBootImages.NetBootImage> NetBootImages => Set<Features.NetBootImages.NetBootImage>();
    public DbSet<Features.NetBootImages.NetBootImageMapping> NetBootImageMappings => Set<Features.NetBootImages.NetBootImageMapping>();
    public DbSet<Features.NetBootImages.CatalogueVersion> CatalogueVersions => Set<Features.NetBootImages.CatalogueVersion>();

    // Inventory (issue 4): devices, their agents and the subnets those agents sit on.
    public DbSet<Features.Inventory.Device> Devices => Set<Features.Inventory.Device>();
    public DbSet<Features.Inventory.Agent> Agents => Set<Features.Inventory.Agent>();
    public DbSet<Features.Inventory.AgentAddress> AgentAddresses => Set<Features.Inventory.AgentAddress>();
    public DbSet<Features.Inventory.EnrollmentToken> EnrollmentTokens => Set<Features.Inventory.EnrollmentToken>();
    public DbSet<Features.Subnets.Subnet> Subnets => Set<Features.Subnets.Subnet>();
    public DbSet<Features.Subnets.SubnetService> SubnetServices => Set<Features.Subnets.SubnetService>();
    public DbSet<Features.Subnets.ElectionEvent> ElectionEvents => Set<Features.Subnets.ElectionEvent>();
    public DbSet<Features.Subnets.PublishedWhitelist> PublishedWhitelists => Set<Features.Subnets.PublishedWhitelist>();

    // Agent settings and scheduled tasks (issue 7).
    public DbSet<Features.AgentSettings.AgentSetting> AgentSettings => Set<Features.AgentSettings.AgentSetting>();
    public DbSet<Features.AgentSettings.AgentSettingRevision> AgentSettingRevisions => Set<Features.AgentSettings.AgentSettingRevision>();
    public DbSet<Features.ScheduledTasks.ScheduledTask> ScheduledTasks => Set<Features.ScheduledTasks.ScheduledTask>();
    public DbSet<Features.ScheduledTasks.TaskTarget> TaskTargets => Set<Features.ScheduledTasks.TaskTarget>();
    public DbSet<Features.ScheduledTasks.TaskTargetResult> TaskTargetResults => Set<Features.ScheduledTasks.TaskTargetResult>();
    public DbSet<Features.ScheduledTasks.SavedInventoryQuery> SavedInventoryQueries => Set<Features.ScheduledTasks.SavedInventoryQuery>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

        // SQLite cannot order or compare DateTimeOffset natively; store it as UTC ticks there so queries stay server-side.
        if (Database.IsSqlite())
        {
            foreach (var entity in builder.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType == typeof(DateTimeOffset))
                    property.SetValueConverter(DateTimeOffsetTicksConverter.Instance);
                else if (property.ClrType == typeof(DateTimeOffset?))
                    property.SetValueConverter(DateTimeOffsetTicksConverter.Nullable);
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
            if (entry.State == EntityState.Modified)
                entry.Entity.Version++;
    }
}

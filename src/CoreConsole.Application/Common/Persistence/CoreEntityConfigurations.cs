using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Common.Persistence;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(128);
        b.Property(x => x.EntityType).HasMaxLength(128);
        b.Property(x => x.EntityId).HasMaxLength(128);
        b.Property(x => x.Summary).HasMaxLength(1024);
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.EntityType, x.EntityId });
    }
}

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> b)
    {
        b.Property(x => x.Kind).HasMaxLength(128);
        b.Property(x => x.Key).HasMaxLength(256);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(2048);
        b.Property(x => x.Progress).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Key).IsUnique();
        b.HasIndex(x => new { x.State, x.DueAt });
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b) => b.Property(x => x.DisplayName).HasMaxLength(128);
}

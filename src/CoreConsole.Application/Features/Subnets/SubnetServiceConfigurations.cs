using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.Subnets;

internal sealed class SubnetServiceConfiguration : IEntityTypeConfiguration<SubnetService>
{
    public void Configure(EntityTypeBuilder<SubnetService> b)
    {
        b.Property(x => x.Service).HasMaxLength(16);
        b.Property(x => x.HandoverReason).HasMaxLength(512);
        b.Property(x => x.UnresponsiveAgents).HasMaxLength(4000);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.StateReason).HasMaxLength(1024);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne(x => x.Subnet).WithMany().HasForeignKey(x => x.SubnetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SubnetId, x.Service }).IsUnique();
        b.HasIndex(x => x.RepresentativeAgentId);
    }
}

internal sealed class ElectionEventConfiguration : IEntityTypeConfiguration<ElectionEvent>
{
    public void Configure(EntityTypeBuilder<ElectionEvent> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.FromName).HasMaxLength(255);
        b.Property(x => x.ToName).HasMaxLength(255);
        b.Property(x => x.Reason).HasMaxLength(1024);
        b.HasOne<SubnetService>().WithMany().HasForeignKey(x => x.SubnetServiceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SubnetServiceId, x.At });
    }
}

internal sealed class PublishedWhitelistConfiguration : IEntityTypeConfiguration<PublishedWhitelist>
{
    public void Configure(EntityTypeBuilder<PublishedWhitelist> b)
    {
        b.HasKey(x => x.SubnetId);
        b.Property(x => x.Addresses).HasMaxLength(4000);
        b.Property(x => x.PublishedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.AddressList);
        b.HasOne<Subnet>().WithOne().HasForeignKey<PublishedWhitelist>(x => x.SubnetId).OnDelete(DeleteBehavior.Cascade);
    }
}

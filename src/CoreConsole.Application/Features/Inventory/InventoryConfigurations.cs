using CoreConsole.Application.Features.Subnets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.Inventory;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.Property(x => x.SerialNumber).HasMaxLength(64);
        b.Property(x => x.PrimaryMac).HasMaxLength(17);
        b.Property(x => x.HostName).HasMaxLength(255);
        b.Property(x => x.Model).HasMaxLength(128);
        b.Property(x => x.OsName).HasMaxLength(64);
        b.Property(x => x.OsVersion).HasMaxLength(64);
        b.Property(x => x.MacAddresses).HasMaxLength(2048);
        b.Property(x => x.Ipv4Interfaces).HasMaxLength(2048);
        b.Property(x => x.InventoryHash).HasMaxLength(64);
        b.Ignore(x => x.MacAddressList);
        b.Ignore(x => x.Ipv4InterfaceList);
        b.Ignore(x => x.CurrentUptimeSeconds);
        b.HasIndex(x => x.SerialNumber);
        b.HasIndex(x => x.PrimaryMac);
        // Grid sorts and filters.
        b.HasIndex(x => x.HostName);
        b.HasIndex(x => x.Model);
        b.HasIndex(x => x.LastSeenAt);
        b.HasIndex(x => new { x.OsName, x.OsVersion });
    }
}

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> b)
    {
        b.ToTable("Agents");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.SecretHash).HasMaxLength(64);
        b.Property(x => x.PushKey).HasMaxLength(32);
        b.Property(x => x.PushUrl).HasMaxLength(256);
        b.Property(x => x.AgentVersion).HasMaxLength(64);
        b.Property(x => x.RepresentativeSubnet).HasMaxLength(18);
        b.Property(x => x.RepresentativeState).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RepresentativeCatalogueVersion).HasMaxLength(128);
        b.Property(x => x.RepresentativeError).HasMaxLength(1024);
        b.Property(x => x.StateHash).HasMaxLength(64);
        b.Property(x => x.Preference).HasConversion<string>().HasMaxLength(16);
        b.HasOne(x => x.Device).WithOne().HasForeignKey<Agent>(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.DeviceId).IsUnique();
        b.HasIndex(x => x.LastCheckInAt);
        b.HasMany(x => x.Addresses).WithOne().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentAddressConfiguration : IEntityTypeConfiguration<AgentAddress>
{
    public void Configure(EntityTypeBuilder<AgentAddress> b)
    {
        b.HasKey(x => new { x.AgentId, x.Address });
        b.Property(x => x.Address).HasMaxLength(15);
        b.HasOne(x => x.Subnet).WithMany().HasForeignKey(x => x.SubnetId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.SubnetId);
    }
}

internal sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> b)
    {
        b.Property(x => x.Name).HasMaxLength(128);
        b.Property(x => x.TokenHash).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.TokenHash).IsUnique();
    }
}

internal sealed class SubnetConfiguration : IEntityTypeConfiguration<Subnet>
{
    public void Configure(EntityTypeBuilder<Subnet> b)
    {
        b.Property(x => x.Cidr).HasMaxLength(18);
        b.Property(x => x.NetworkAddress).HasMaxLength(15);
        b.Property(x => x.Name).HasMaxLength(128);
        b.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.Cidr).IsUnique();
        b.HasIndex(x => new { x.NetworkNumber, x.PrefixLength });
    }
}

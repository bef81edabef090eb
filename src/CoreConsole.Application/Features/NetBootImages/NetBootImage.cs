using CoreConsole.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.NetBootImages;

public enum NbiHealthState { Unknown, Healthy, Unhealthy }

/// <summary>
/// An NBI found on the share at the last Browse. The plist bytes are kept so publishing re-reads exactly what was
/// browsed; the columns beside them are for listing and filtering. A folder that disappeared from the share is kept
/// and marked <see cref="IsMissing"/>, so a mapping that still names it shows "image missing" instead of a dangling id.
/// </summary>
public sealed class NetBootImage
{
    public Guid Id { get; set; }
    /// <summary>Share URL (with trailing slash) the folder was listed under.</summary>
    public required string ShareUrl { get; set; }
    public required string FolderName { get; set; }
    /// <summary>Folder URL with trailing slash; files a Mac fetches are relative to it.</summary>
    public required string FolderUrl { get; set; }
    public required byte[] PlistBytes { get; set; }
    public int Index { get; set; }
    public required string Name { get; set; }
    public int Kind { get; set; }
    public bool IsInstall { get; set; }
    public bool IsEnabled { get; set; }
    /// <summary>NFS, HTTP, BootFileOnly or Classic.</summary>
    public required string Type { get; set; }
    public required string BootFile { get; set; }
    public string? RootPath { get; set; }
    public List<string> Architectures { get; set; } = [];
    /// <summary>The model whitelist; empty = every model.</summary>
    public List<string> EnabledSystemIdentifiers { get; set; } = [];
    public string? OsVersion { get; set; }
    public string? Description { get; set; }
    /// <summary>All 32 bits of the BSDP boot image id (install bit, kind, index).</summary>
    public long BootImageId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public bool IsMissing { get; set; }

    public NbiHealthState Health { get; set; }
    public DateTimeOffset? HealthCheckedAt { get; set; }
    /// <summary>JSON of <see cref="NbiHealthReport"/> from the last check.</summary>
    public string? HealthJson { get; set; }
}

/// <summary>
/// The one mapping (Id 1, seeded): the share's HTTP path, the default image and per-model overrides. Versioned so two
/// administrators saving at once cannot overwrite each other.
/// </summary>
public sealed class NetBootImageMapping : IVersioned
{
    public const int SingletonId = 1;
    public int Id { get; set; }
    public string? ShareUrl { get; set; }
    public Guid? DefaultImageId { get; set; }
    public List<ModelOverride> Overrides { get; set; } = [];
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public int Version { get; set; }
}

/// <summary>Mac model identifier (exact, case-sensitive, commas included) → the image it boots instead of the default.</summary>
public sealed class ModelOverride
{
    public Guid Id { get; set; }
    public int MappingId { get; set; }
    public required string Model { get; set; }
    public Guid ImageId { get; set; }
}

/// <summary>
/// An immutable published catalogue: what representatives serve. A new row per save; never updated.
/// <see cref="Json"/> is a <see cref="CoreConsole.Contracts.Agents.CatalogueDocument"/> (Subnet left empty: the agent
/// API fills in the representative's subnet).
/// </summary>
public sealed class CatalogueVersion
{
    public int Id { get; set; }
    public int Number { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public int MappingVersion { get; set; }
    public required string Json { get; set; }
}

internal sealed class NetBootImageConfiguration : IEntityTypeConfiguration<NetBootImage>
{
    public void Configure(EntityTypeBuilder<NetBootImage> b)
    {
        b.Property(x => x.ShareUrl).HasMaxLength(1024);
        b.Property(x => x.FolderName).HasMaxLength(255);
        b.Property(x => x.FolderUrl).HasMaxLength(1024);
        b.Property(x => x.Name).HasMaxLength(255);
        b.Property(x => x.Type).HasMaxLength(16);
        b.Property(x => x.BootFile).HasMaxLength(255);
        b.Property(x => x.RootPath).HasMaxLength(1024);
        b.Property(x => x.OsVersion).HasMaxLength(64);
        b.Property(x => x.Description).HasMaxLength(1024);
        b.Property(x => x.Health).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => x.FolderUrl).IsUnique();
    }
}

internal sealed class NetBootImageMappingConfiguration : IEntityTypeConfiguration<NetBootImageMapping>
{
    public void Configure(EntityTypeBuilder<NetBootImageMapping> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ShareUrl).HasMaxLength(1024);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasMany(x => x.Overrides).WithOne().HasForeignKey(o => o.MappingId).OnDelete(DeleteBehavior.Cascade);
        // Seeded so the first two saves race on a version, not on who inserts the row.
        b.HasData(new NetBootImageMapping { Id = NetBootImageMapping.SingletonId });
    }
}

internal sealed class ModelOverrideConfiguration : IEntityTypeConfiguration<ModelOverride>
{
    public void Configure(EntityTypeBuilder<ModelOverride> b)
    {
        b.Property(x => x.Model).HasMaxLength(128);
        b.HasIndex(x => new { x.MappingId, x.Model }).IsUnique();
    }
}

internal sealed class CatalogueVersionConfiguration : IEntityTypeConfiguration<CatalogueVersion>
{
    public void Configure(EntityTypeBuilder<CatalogueVersion> b)
    {
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => x.Number).IsUnique();
    }
}

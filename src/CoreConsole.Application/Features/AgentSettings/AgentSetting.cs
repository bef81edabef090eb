using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.AgentSettings;

/// <summary>
/// A "Client connectivity" profile admins edit. The editable values live here; every save that changes them writes an
/// immutable <see cref="AgentSettingRevision"/>, and tasks and agents always refer to a revision, never to the live profile.
/// </summary>
public sealed class AgentSetting : IVersioned
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Newly enrolled agents (and agents with no assigned setting) want this profile's current revision.</summary>
    public bool IsDefault { get; set; }
    public Guid CurrentRevisionId { get; set; }
    public int CurrentRevisionNumber { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>One saved state of a profile's values. Never updated; deleted only with its profile.</summary>
public sealed class AgentSettingRevision
{
    public Guid Id { get; set; }
    public Guid SettingId { get; set; }
    /// <summary>1, 2, 3 … per profile.</summary>
    public int Number { get; set; }
    public bool EnableSubnetServices { get; set; }
    public bool EnablePxe { get; set; }
    public int CheckInIntervalSeconds { get; set; }
    public int PolicyIntervalSeconds { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    public AgentSettingValues Values => new()
    {
        EnableSubnetServices = EnableSubnetServices, EnablePxe = EnablePxe,
        CheckInIntervalSeconds = CheckInIntervalSeconds, PolicyIntervalSeconds = PolicyIntervalSeconds,
    };

    /// <summary>The wire form the agent applies.</summary>
    public SettingRevision ToContract() => new() { Id = Id, Number = Number, Settings = Values };

    public static AgentSettingRevision Create(Guid settingId, int number, AgentSettingValues values, DateTimeOffset at, string? by) => new()
    {
        Id = Guid.NewGuid(), SettingId = settingId, Number = number,
        EnableSubnetServices = values.EnableSubnetServices, EnablePxe = values.EnablePxe,
        CheckInIntervalSeconds = values.CheckInIntervalSeconds, PolicyIntervalSeconds = values.PolicyIntervalSeconds,
        CreatedAt = at, CreatedBy = by,
    };
}

/// <summary>The validated ranges, shared by the form, the validators and the seeding.</summary>
public static class AgentSettingLimits
{
    public const int MinCheckInSeconds = 10;
    public const int MaxCheckInSeconds = 86_400;
    public const int MinPolicySeconds = 60;
    public const int MaxPolicySeconds = 604_800;
    public const int NameMaxLength = 100;

    /// <summary>What a fresh installation uses: take part in nothing, check in every minute, poll policy every 15 minutes.</summary>
    public static readonly AgentSettingValues DefaultValues = new()
    {
        EnableSubnetServices = false, EnablePxe = false, CheckInIntervalSeconds = 60, PolicyIntervalSeconds = 900,
    };
}

internal sealed class AgentSettingConfiguration : IEntityTypeConfiguration<AgentSetting>
{
    public void Configure(EntityTypeBuilder<AgentSetting> b)
    {
        b.Property(x => x.Name).HasMaxLength(AgentSettingLimits.NameMaxLength);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Name).IsUnique();
        // At most one default, enforced by the database so two racing start-ups cannot seed two.
        b.HasIndex(x => x.IsDefault).IsUnique().HasFilter("[IsDefault] = 1");
    }
}

internal sealed class AgentSettingRevisionConfiguration : IEntityTypeConfiguration<AgentSettingRevision>
{
    public void Configure(EntityTypeBuilder<AgentSettingRevision> b)
    {
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.SettingId, x.Number }).IsUnique();
        b.HasOne<AgentSetting>().WithMany().HasForeignKey(x => x.SettingId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(x => x.Values);
    }
}

namespace CoreConsole.Application.Features.Inventory;

/// <summary>
/// A token an administrator hands to machines so their agents can enrol. Only its hash is stored; the token itself is shown
/// once at creation. One-time tokens have <see cref="MaxUses"/> = 1; fleet tokens allow more (or unlimited when null).
/// </summary>
public sealed class EnrollmentToken
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>How many enrolments it allows; null = unlimited until it expires or is revoked.</summary>
    public int? MaxUses { get; set; }
    public int UseCount { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public EnrollmentTokenState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? EnrollmentTokenState.Revoked
        : ExpiresAt is { } e && e <= now ? EnrollmentTokenState.Expired
        : MaxUses is { } max && UseCount >= max ? EnrollmentTokenState.UsedUp
        : EnrollmentTokenState.Active;
}

public enum EnrollmentTokenState { Active, Expired, UsedUp, Revoked }

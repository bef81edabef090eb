using Microsoft.AspNetCore.Identity;

namespace CoreConsole.Application.Common.Persistence;

/// <summary>A console user. Disabled users keep their history but cannot sign in.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

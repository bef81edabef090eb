namespace CoreConsole.Application.Common.Persistence;

/// <summary>
/// An entity admins edit in forms. <see cref="Version"/> is a provider-neutral optimistic concurrency token
/// (SQLite has no rowversion): AppDbContext bumps it on every update, so a second tab's stale save fails.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}

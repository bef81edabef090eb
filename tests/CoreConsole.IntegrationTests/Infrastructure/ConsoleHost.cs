using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.Infrastructure;

/// <summary>
/// One started app per test class (a class fixture), on its own database. Creates the first administrator through
/// the real setup command and keeps that outcome so a test can assert on it.
/// </summary>
public abstract class ConsoleHost : IAsyncLifetime
{
    public const string AdminEmail = "first-admin@tests.example";
    public const string AdminPassword = "First-Adm1n-Passw0rd";

    private CoreConsoleFactory? _factory;

    public RecordingWorkHandler Recorder { get; } = new();
    public FlakyWorkHandler Flaky { get; } = new();

    /// <summary>Why this provider cannot run here (no SQL Server), or null.</summary>
    public string? SkipReason { get; protected set; }

    public CoreConsoleFactory Factory => _factory ?? throw new InvalidOperationException(SkipReason ?? "The host is not started.");
    public IServiceProvider Services => Factory.Services;

    public Result<string> FirstAdministratorSetup { get; private set; }
    public UserContext Admin { get; private set; } = UserContext.Anonymous;

    protected abstract DatabaseTarget? CreateTarget();

    public async ValueTask InitializeAsync()
    {
        var target = CreateTarget();
        if (target is null) return;
        _factory = new CoreConsoleFactory(target, Recorder, Flaky);
        _ = _factory.Server; // starts the host: migrations, roles, hosted services

        FirstAdministratorSetup = await SendAs(UserContext.Anonymous, s => s.Send(new CreateFirstAdministratorCommand(AdminEmail, AdminPassword, AdminPassword)));
        if (FirstAdministratorSetup.IsSuccess)
            Admin = new UserContext(FirstAdministratorSetup.Value, AdminEmail, [Roles.Administrator], true);
    }

    /// <summary>Sends through the real ISender in a fresh scope, as <paramref name="user"/>.</summary>
    public async Task<T> SendAs<T>(UserContext user, Func<ISender, ValueTask<T>> send)
    {
        using var _ = TestCurrentUser.ActAs(user);
        await using var scope = Services.CreateAsyncScope();
        return await send(scope.ServiceProvider.GetRequiredService<ISender>());
    }

    public async Task<T> Query<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public WorkQueue Queue => Services.GetRequiredService<WorkQueue>();

    public async ValueTask DisposeAsync()
    {
        if (_factory is null) return;
        var target = _factory.Target;
        await _factory.DisposeAsync();
        await target.DeleteAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteConsoleHost : ConsoleHost
{
    protected override DatabaseTarget CreateTarget() => DatabaseTarget.Sqlite();
}

public sealed class SqlServerConsoleHost(MsSqlFixture sql) : ConsoleHost
{
    protected override DatabaseTarget? CreateTarget()
    {
        SkipReason = sql.SkipReason;
        return sql.ConnectionString is { } cs ? DatabaseTarget.SqlServer(cs) : null;
    }
}

public static class DatabaseTargetExtensions
{
    /// <summary>A context on the target's database without a host (to write rows a crashed run would have left).</summary>
    public static AppDbContext CreateDbContext(this DatabaseTarget target)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseCoreConsoleDatabase(target.Provider, target.ConnectionString
            ?? $"Data Source={Path.Combine(target.DataDirectory, "coreconsole.db")}");
        return new AppDbContext(builder.Options);
    }

    /// <summary>Drops a SQL Server test database and removes the data directory.</summary>
    public static async Task DeleteAsync(this DatabaseTarget target)
    {
        if (target.Provider == DatabaseProvider.SqlServer)
        {
            await using var db = target.CreateDbContext();
            await db.Database.EnsureDeletedAsync();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(target.DataDirectory, recursive: true); }
        catch (IOException) { /* a late file handle; the temp directory is harmless */ }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.Application.Common.Persistence;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>Where CoreConsole keeps its files: the SQLite database, data-protection keys, the NBI share.</summary>
public sealed class CoreConsolePaths
{
    public CoreConsolePaths(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>CoreConsole:DataDirectory (env CoreConsole__DataDirectory), default ./data next to the working directory.</summary>
    public static CoreConsolePaths FromConfiguration(IConfiguration config) =>
        new(config["CoreConsole:DataDirectory"] is { Length: > 0 } dir ? dir : Path.Combine(Directory.GetCurrentDirectory(), "data"));
}

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "CoreConsole.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "CoreConsole.Migrations.SqlServer";

    public static DatabaseProvider ProviderFrom(IConfiguration config)
    {
        var value = config["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var p)
            ? p
            : throw new InvalidOperationException($"Database:Provider '{value}' is not supported; use Sqlite or SqlServer.");
    }

    /// <summary>Connection string: ConnectionStrings:Default, else (SQLite) a file in the data directory.</summary>
    public static string ConnectionStringFrom(IConfiguration config, DatabaseProvider provider, CoreConsolePaths paths) =>
        config.GetConnectionString("Default") is { Length: > 0 } cs
            ? cs
            : provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(paths.DataDirectory, "coreconsole.db")}"
                : throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Default is not set.");

    public static DbContextOptionsBuilder UseCoreConsoleDatabase(this DbContextOptionsBuilder b, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            // A busy timeout makes concurrent writers (check-ins, jobs, the UI) wait instead of failing with SQLITE_BUSY.
            DatabaseProvider.Sqlite => b.UseSqlite(AddSqliteDefaults(connectionString), x => x.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(SqliteTuning.Instance),
            DatabaseProvider.SqlServer => b.UseSqlServer(connectionString, x =>
            {
                x.MigrationsAssembly(SqlServerMigrationsAssembly);
                x.EnableRetryOnFailure(5);
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };

    private static string AddSqliteDefaults(string cs) =>
        cs.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase) ? cs : cs.TrimEnd(';') + ";Default Timeout=30";

    public static IServiceCollection AddCoreConsoleDatabase(this IServiceCollection services, IConfiguration config, CoreConsolePaths paths)
    {
        var provider = ProviderFrom(config);
        var cs = ConnectionStringFrom(config, provider, paths);
        services.AddSingleton(new DatabaseInfo(provider, cs));
        services.AddDbContextFactory<AppDbContext>(o => o.UseCoreConsoleDatabase(provider, cs));
        return services;
    }
}

public sealed record DatabaseInfo(DatabaseProvider Provider, string ConnectionString);

public static class DatabaseInfoExtensions
{
    /// <summary>The provider chosen by AddCoreConsoleDatabase, for wiring that depends on it (Hangfire storage).</summary>
    public static DatabaseInfo BuildDatabaseInfo(this IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(DatabaseInfo))?.ImplementationInstance as DatabaseInfo
        ?? throw new InvalidOperationException("AddCoreConsoleDatabase must be called first.");
}

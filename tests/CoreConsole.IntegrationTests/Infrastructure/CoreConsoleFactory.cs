using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoreConsole.IntegrationTests.Infrastructure;

/// <summary>Where a test host keeps its data: a provider, a data directory and (SQL Server) a database of its own.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string DataDirectory, string? ConnectionString)
{
    public static DatabaseTarget Sqlite() =>
        new(DatabaseProvider.Sqlite, Directory.CreateTempSubdirectory("coreconsole-it-").FullName, null);

    /// <summary>A fresh database on the given server, so test classes never see each other's rows.</summary>
    public static DatabaseTarget SqlServer(string serverConnectionString)
    {
        var cs = new SqlConnectionStringBuilder(serverConnectionString)
        {
            InitialCatalog = $"coreconsole_it_{Guid.NewGuid():N}",
            TrustServerCertificate = true,
        };
        return new(DatabaseProvider.SqlServer, Directory.CreateTempSubdirectory("coreconsole-it-").FullName, cs.ConnectionString);
    }
}

/// <summary>
/// The real app on the in-memory test server: real migrations, Identity, mediator pipeline and Hangfire, with the
/// signed-in user replaced by <see cref="TestCurrentUser"/>, short retry delays and the given work handlers.
/// </summary>
public sealed class CoreConsoleFactory(DatabaseTarget target, params IWorkItemHandler[] handlers) : WebApplicationFactory<Program>
{
    public DatabaseTarget Target { get; } = target;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development"); // scope validation on: a captive dependency fails start-up
        builder.UseSetting("CoreConsole:DataDirectory", Target.DataDirectory);
        builder.UseSetting("Database:Provider", Target.Provider.ToString());
        if (Target.ConnectionString is { } cs) builder.UseSetting("ConnectionStrings:Default", cs);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ICurrentUser>();
            services.AddSingleton<ICurrentUser, TestCurrentUser>();
            foreach (var h in handlers) services.AddSingleton(h);
            services.Configure<WorkItemRunnerOptions>(o =>
            {
                o.FirstRetryDelay = TimeSpan.FromMilliseconds(100);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(400);
            });
        });
    }
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.Subnets;

/// <summary>
/// The real console on a real socket with its SQLite file in <paramref name="dataDirectory"/>. The port is fixed by the caller
/// so a restarted console comes back where the agents expect it, on the same database.
/// </summary>
public sealed class DrillConsoleFactory(string dataDirectory, int port) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory;
    public Uri Url { get; } = new($"http://127.0.0.1:{port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseKestrel(port);
        builder.UseSetting("CoreConsole:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Hangfire:Server:Enabled", "false");
        builder.UseSetting("urls", Url.ToString());
    }

    public void Start() => StartServer();

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await work(db);
    }

    /// <summary>An enrolment token written straight into the database (the console would show it once to an administrator).</summary>
    public async Task<string> CreateEnrollmentTokenAsync()
    {
        var text = EnrollmentTokens.Generate();
        await WithDbAsync(async db =>
        {
            db.EnrollmentTokens.Add(new EnrollmentToken
            {
                Id = Guid.NewGuid(), Name = "drill", TokenHash = EnrollmentTokens.Hash(text), CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "drill",
            });
            return await db.SaveChangesAsync();
        });
        return text;
    }
}

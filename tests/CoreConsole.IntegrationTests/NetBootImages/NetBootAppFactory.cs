using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>
/// The real console on a real socket with a fresh SQLite data directory whose <c>share/</c> holds the fixture NBIs. The
/// Hangfire server is off so tests run work items themselves, deterministically.
/// </summary>
public sealed class NetBootAppFactory : WebApplicationFactory<Program>
{
    private readonly bool _listing;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "coreconsole-nbi-" + Guid.NewGuid().ToString("N")[..8]);
    public string ShareRoot => Path.Combine(DataDirectory, "share");

    public NetBootAppFactory(bool listing = true, bool buildShare = true)
    {
        _listing = listing;
        if (buildShare) TestShare.Build(ShareRoot);
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CoreConsole:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Hangfire:Server:Enabled", "false");
        builder.UseSetting("NetBoot:ShareListing", _listing ? "true" : "false");
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    /// <summary>The share as a Mac would be given it: an IPv4 literal.</summary>
    public string ShareUrl => new Uri(BaseAddress, "vboot/NetBoot/").ToString();

    /// <summary>Sends through the full mediator pipeline (authorization, validation, audit, concurrency) as the system.</summary>
    public async Task<T> SendAsync<T>(ICommand<T> command)
    {
        _ = BaseAddress;
        using var scope = Services.CreateScope();
        using var system = SystemContext.Enter();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public async Task<T> QueryAsync<T>(IQuery<T> query)
    {
        _ = BaseAddress;
        using var scope = Services.CreateScope();
        using var system = SystemContext.Enter();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        _ = BaseAddress;
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

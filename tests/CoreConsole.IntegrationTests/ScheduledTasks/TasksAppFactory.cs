using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.ScheduledTasks;

/// <summary>
/// The real console on a real socket with its own SQLite data directory, tuned for tests: short push timeouts and retry delays,
/// enrolment not rate limited. Commands are sent as the system user (the pipeline's authorization admits it).
/// </summary>
public sealed class TasksAppFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cc-tasks-" + Guid.NewGuid().ToString("N")[..8]);
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["ScheduledTasks:PushTimeout"] = "00:00:02",
        ["ScheduledTasks:RetryBaseDelay"] = "00:00:00.100",
        ["ScheduledTasks:MaxPushAttempts"] = "2",
        ["AgentApi:RateLimit:EnrollPerMinute"] = "100000",
        ["AgentApi:RateLimit:TokenLimit"] = "100000",
        ["AgentApi:RateLimit:TokensPerSecond"] = "100000",
    };

    public TasksAppFactory() => UseKestrel(0);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CoreConsole:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    public async Task<T> SendAsync<T>(IMessage message)
    {
        StartServer();
        using var system = SystemContext.Enter();
        await using var scope = Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        return (T)(await sender.Send(message))!;
    }

    public async Task<T> OkAsync<T>(ICommand<Result<T>> command)
    {
        var result = await SendAsync<Result<T>>(command);
        result.Error.ShouldBeNull();
        return result.Value;
    }

    public async Task<TResult> DbAsync<TResult>(Func<AppDbContext, Task<TResult>> work)
    {
        StartServer();
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public Task<string> CreateEnrollmentTokenAsync() =>
        OkAsync(new CreateEnrollmentTokenCommand("tests", null, null)).ContinueWith(t => t.Result.Token);

    public AgentCoreClient AgentClient() => new(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

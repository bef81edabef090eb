using System.Net.Http.Headers;
using System.Net.Http.Json;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoreConsole.IntegrationTests.Agents;

/// <summary>
/// The real core (all middleware, real SQLite file in a fresh data directory) for agent API tests. In-memory TestServer by
/// default; <see cref="UseRealSocket"/> switches to Kestrel on a free port for tests that run a real agent process.
/// </summary>
public sealed class AgentApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public AgentApiFactory(string? dataDirectory = null, IDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "coreconsole-agents-" + Guid.NewGuid().ToString("N")[..8]);
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    public string DataDirectory { get; }
    public bool KeepDataDirectory { get; set; }

    public AgentApiFactory UseRealSocket(int port = 0)
    {
        UseKestrel(port);
        return this;
    }

    /// <summary>The socket address when <see cref="UseRealSocket"/> was called (starts the server).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("CoreConsole:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Hangfire:Server:Enabled", "false");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public IDbContextFactory<AppDbContext> Db => Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    public async Task<CoreConsole.Application.Common.Results.Result> SendAsSystemAsync(ICommand<CoreConsole.Application.Common.Results.Result> command)
    {
        using var system = SystemContext.Enter();
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    public async Task<T> QueryAsync<T>(IQuery<T> query)
    {
        using var system = SystemContext.Enter();
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query);
    }

    public async Task<string> CreateTokenAsync(string name = "test", int? maxUses = 1, DateTimeOffset? expiresAt = null)
    {
        using var system = SystemContext.Enter();
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CreateEnrollmentTokenCommand(name, expiresAt, maxUses));
        return result.Value.Token;
    }

    /// <summary>Writes buffered heartbeats now instead of waiting for the next second.</summary>
    public Task<int> FlushHeartbeatsAsync() => Services.GetRequiredService<HeartbeatFlusher>().FlushAsync(CancellationToken.None);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!KeepDataDirectory) DeleteDataDirectory();
    }

    public void DeleteDataDirectory()
    {
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Building blocks for agent API calls.</summary>
public static class AgentCalls
{
    public static EnrollRequest Enrolment(string token, string serial = "C02TEST0001", string mac = "A4:83:E7:00:00:01",
        string model = "MacBookPro14,1", string host = "lab-mac-01") => new()
    {
        Token = token, HostName = host, SerialNumber = serial, PrimaryMac = mac, Model = model,
        OsName = "macOS", OsVersion = "10.15.7", AgentVersion = "1.0.0",
    };

    public static CheckInRequest Report(string serial = "C02TEST0001", string mac = "A4:83:E7:00:00:01", string model = "MacBookPro14,1",
        string host = "lab-mac-01", string address = "10.0.1.7", int prefix = 24) => new()
    {
        HostName = host, OsName = "macOS", OsVersion = "10.15.7", Model = model, SerialNumber = serial,
        MacAddresses = [mac], Ipv4 = [new Ipv4Interface(address, prefix)], UptimeSeconds = 3600, FreeDiskBytes = 100L << 30,
        AgentVersion = "1.0.0", SentAt = DateTimeOffset.UtcNow,
        Capabilities = new CapabilityFacts { Cores = 4, MemoryBytes = 16L << 30, FreeDiskBytes = 100L << 30, WiredLink = true },
    };

    public static async Task<EnrollResponse> EnrollAsync(this HttpClient http, EnrollRequest request)
    {
        using var response = await http.PostAsJsonAsync(AgentProtocol.Enroll, request, AgentProtocol.JsonOptions);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollResponse>(AgentProtocol.JsonOptions))!;
    }

    public static HttpRequestMessage Authorized(HttpMethod method, string path, Guid agentId, string secret, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", AgentAuth.AgentAuthorization(agentId, secret));
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: AgentProtocol.JsonOptions);
        return request;
    }

    public static HttpRequestMessage RawJson(string path, string json, Guid? agentId = null, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (agentId is { } id) request.Headers.TryAddWithoutValidation("Authorization", AgentAuth.AgentAuthorization(id, secret!));
        return request;
    }

    public static async Task<HttpResponseMessage> CheckInAsync(this HttpClient http, Guid agentId, string secret, CheckInRequest report) =>
        await http.SendAsync(Authorized(HttpMethod.Post, AgentProtocol.CheckIn, agentId, secret, report));

    public static async Task<Dictionary<string, string[]>> FieldErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<ProblemWithErrors>();
        return problem?.Errors ?? [];
    }

    public sealed record ProblemWithErrors(int? Status, string? Title, Dictionary<string, string[]>? Errors);
}

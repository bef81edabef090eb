using DotNet.Testcontainers.Builders;
using Testcontainers.MsSql;

namespace CoreConsole.IntegrationTests.Infrastructure;

/// <summary>
/// A SQL Server for the SqlServer variants of the integration tests: COREC_TEST_MSSQL (a CI service) first, else a
/// Testcontainers container. Without either, <see cref="SkipReason"/> says why and the SqlServer tests report skipped.
/// </summary>
public sealed class MsSqlFixture : IAsyncLifetime
{
    public const string Image = "mcr.microsoft.com/mssql/server:2022-latest";
    private MsSqlContainer? _container;

    public string? ConnectionString { get; private set; }
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("COREC_TEST_MSSQL") is { Length: > 0 } configured)
        {
            ConnectionString = configured; // a configured server must work: failures there are real failures
            return;
        }
        try
        {
            _container = new MsSqlBuilder(Image).Build();
            await _container.StartAsync();
            ConnectionString = _container.GetConnectionString();
        }
        catch (Exception e) when (e is DockerUnavailableException or ArgumentException or DockerConfigurationException
                                      or TimeoutException or HttpRequestException or System.Net.Sockets.SocketException
                                      or Docker.DotNet.DockerApiException)
        {
            SkipReason = $"SQL Server tests skipped: no COREC_TEST_MSSQL and no usable Docker engine ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})";
            await DisposeContainerAsync();
        }
    }

    public ValueTask DisposeAsync() => DisposeContainerAsync();

    private async ValueTask DisposeContainerAsync()
    {
        if (_container is null) return;
        try { await _container.DisposeAsync(); } catch (Exception) { /* nothing was started */ }
        _container = null;
    }
}

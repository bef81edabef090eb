using CoreConsole.IntegrationTests.Infrastructure;

// Hangfire keeps process-wide state (GlobalConfiguration, JobStorage.Current): hosts must not start concurrently.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
// One SQL Server (a container or COREC_TEST_MSSQL) for the whole run; each test class gets its own database on it.
[assembly: AssemblyFixture(typeof(MsSqlFixture))]

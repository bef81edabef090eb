using System.CommandLine;
using CoreConsole.Agent.Cli;
using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests;

/// <summary>The CLI verbs in-process against the fake core. Console output is not captured; the state file tells the story.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeCore _core = null!;

    public async ValueTask InitializeAsync() => _core = await FakeCore.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    private static Task<int> Cli(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in AgentCommands.All()) root.Subcommands.Add(command);
        return root.Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Enroll_with_overrides_stores_them_and_re_enrolment_replaces_the_secret()
    {
        (await Cli("enroll", "--core", _core.Url.ToString(), "--token", FakeCore.Token, "--data-dir", _dir.Path,
            "--model", "iMac18,3", "--ip", "127.0.2.10/24", "--serial", "SIM-000002", "--mac", "02-cc-00-00-00-02")).ShouldBe(0);
        var first = new AgentStateStore(_dir.Path).Load();
        first.Overrides.ShouldBe(new IdentityOverrides { Model = "iMac18,3", Ipv4 = "127.0.2.10/24", SerialNumber = "SIM-000002", Mac = "02:CC:00:00:00:02" });

        (await Cli("enroll", "--core", _core.Url.ToString(), "--token", FakeCore.Token, "--data-dir", _dir.Path)).ShouldBe(0);
        new AgentStateStore(_dir.Path).Load().Secret.ShouldNotBe(first.Secret);
    }

    [Fact]
    public async Task Enroll_with_a_wrong_token_fails_and_writes_nothing()
    {
        (await Cli("enroll", "--core", _core.Url.ToString(), "--token", "wrong", "--data-dir", _dir.Path)).ShouldBe(1);
        new AgentStateStore(_dir.Path).TryLoad().ShouldBeNull();
    }

    [Fact]
    public async Task Status_fails_before_enrolment_and_succeeds_after()
    {
        (await Cli("status", "--data-dir", _dir.Path)).ShouldBe(1);
        await Cli("enroll", "--core", _core.Url.ToString(), "--token", FakeCore.Token, "--data-dir", _dir.Path);
        (await Cli("status", "--data-dir", _dir.Path)).ShouldBe(0);
    }

    [Fact]
    public async Task Portal_run_applies_an_offer_and_reports_it_to_the_core()
    {
        await Cli("enroll", "--core", _core.Url.ToString(), "--token", FakeCore.Token, "--data-dir", _dir.Path);
        var offer = new PolicyWorkItem
        {
            WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Optional,
            SettingRevision = new SettingRevision { Id = Guid.NewGuid(), Number = 2, Settings = new AgentSettingValues { CheckInIntervalSeconds = 30 } },
        };
        new AgentStateStore(_dir.Path).Update(s => s.PortalOffers.Add(offer));

        (await Cli("portal", "list", "--data-dir", _dir.Path)).ShouldBe(0);
        (await Cli("portal", "run", offer.WorkId.ToString(), "--data-dir", _dir.Path)).ShouldBe(0);

        _core.ReportedResults.Single().AppliedRevisionId.ShouldBe(offer.SettingRevision.Id);
        var state = new AgentStateStore(_dir.Path).Load();
        state.PortalOffers.ShouldBeEmpty();
        state.InstalledRevisionId.ShouldBe(offer.SettingRevision.Id);
        (await Cli("portal", "run", offer.WorkId.ToString(), "--data-dir", _dir.Path)).ShouldBe(1);
    }
}

using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests;

public sealed class AgentStateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static AgentState Sample() => new()
    {
        AgentId = Guid.NewGuid(),
        Secret = AgentAuth.GenerateSecret(),
        CoreUrl = "http://127.0.0.1:5000",
        EnrolledAt = DateTimeOffset.UtcNow,
        Overrides = new IdentityOverrides { Model = "MacBookPro14,1", Ipv4 = "127.0.1.10/24" },
        InstalledRevisionId = Guid.NewGuid(),
        InstalledRevisionNumber = 4,
        InstalledSettings = new AgentSettingValues { EnablePxe = true, EnableSubnetServices = true, CheckInIntervalSeconds = 30, PolicyIntervalSeconds = 120 },
        AppliedWork = [new AppliedWork { WorkId = Guid.NewGuid(), RevisionId = Guid.NewGuid(), Succeeded = true, FinishedAt = DateTimeOffset.UtcNow }],
        PortalOffers =
        [
            new PolicyWorkItem
            {
                WorkId = Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = PortalMode.Optional, Title = "Faster check-in",
                SettingRevision = new SettingRevision { Id = Guid.NewGuid(), Number = 5, Settings = new AgentSettingValues() },
            },
        ],
    };

    [Fact]
    public void A_saved_state_loads_back_identically_in_a_new_store_as_after_a_restart()
    {
        var original = Sample();
        new AgentStateStore(_dir.Path).Replace(original);

        var loaded = new AgentStateStore(_dir.Path).Load();

        loaded.AgentId.ShouldBe(original.AgentId);
        loaded.Secret.ShouldBe(original.Secret);
        loaded.Overrides.ShouldBe(original.Overrides);
        loaded.InstalledRevisionId.ShouldBe(original.InstalledRevisionId);
        loaded.InstalledSettings.ShouldBe(original.InstalledSettings);
        loaded.AppliedWork.ShouldBe(original.AppliedWork);
        loaded.PortalOffers.Single().WorkId.ShouldBe(original.PortalOffers[0].WorkId);
        loaded.PortalOffers.Single().Portal.ShouldBe(PortalMode.Optional);
    }

    [Fact]
    public void Updates_are_read_modify_write_and_leave_no_temp_file_behind()
    {
        var store = new AgentStateStore(_dir.Path);
        store.Replace(Sample());
        store.Update(s => s.LastCheckInError = "down");
        new AgentStateStore(_dir.Path).Update(s => s.CheckInIntervalSeconds = 7);

        var loaded = store.Load();
        loaded.LastCheckInError.ShouldBe("down");
        loaded.CheckInIntervalSeconds.ShouldBe(7);
        File.Exists(store.FilePath + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public void The_state_file_is_readable_by_its_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");
        var store = new AgentStateStore(_dir.Path);
        store.Replace(Sample());
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(store.FilePath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Loading_before_enrolment_says_so()
    {
        var store = new AgentStateStore(_dir.Path);
        store.TryLoad().ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => store.Load()).Message.ShouldContain("enroll");
    }
}

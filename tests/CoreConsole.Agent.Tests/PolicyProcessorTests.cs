using CoreConsole.Agent.Policy;
using CoreConsole.Agent.State;
using CoreConsole.Agent.Tests.Support;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Tests;

public sealed class PolicyProcessorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly AgentStateStore _store;
    private readonly SettingsApplier _applier;
    private readonly PolicyProcessor _processor;

    public PolicyProcessorTests()
    {
        _store = new AgentStateStore(_dir.Path);
        _store.Replace(new AgentState { AgentId = Guid.NewGuid(), Secret = "s", CoreUrl = "http://127.0.0.1:1" });
        _applier = new SettingsApplier(_store);
        _processor = new PolicyProcessor(_store, _applier);
    }

    public void Dispose() => _dir.Dispose();

    private static SettingRevision Revision(int number, int checkIn = 30) =>
        new() { Id = Guid.NewGuid(), Number = number, Settings = new AgentSettingValues { EnablePxe = true, EnableSubnetServices = true, CheckInIntervalSeconds = checkIn, PolicyIntervalSeconds = 60 } };

    private static PolicyWorkItem Item(PortalMode portal, SettingRevision revision, Guid? workId = null) =>
        new() { WorkId = workId ?? Guid.NewGuid(), TaskId = Guid.NewGuid(), Portal = portal, SettingRevision = revision };

    [Fact]
    public void Required_work_is_applied_at_once_and_queued_for_reporting()
    {
        var revision = Revision(3);
        var applied = _processor.Process(new PolicyResponse { Items = [Item(PortalMode.Required, revision)] });

        applied.Single().Succeeded.ShouldBeTrue();
        var state = _store.Load();
        state.InstalledRevisionId.ShouldBe(revision.Id);
        state.InstalledRevisionNumber.ShouldBe(3);
        state.InstalledSettings.ShouldBe(revision.Settings);
        state.AppliedWork.Single().Reported.ShouldBeFalse();
        state.PortalOffers.ShouldBeEmpty();
    }

    [Fact]
    public void Recommended_and_optional_work_is_offered_in_the_portal_and_not_applied()
    {
        var recommended = Item(PortalMode.Recommended, Revision(4));
        var optional = Item(PortalMode.Optional, Revision(5));

        _processor.Process(new PolicyResponse { Items = [recommended, optional] }).ShouldBeEmpty();

        var state = _store.Load();
        state.InstalledRevisionId.ShouldBeNull();
        state.PortalOffers.Select(o => o.WorkId).ShouldBe([recommended.WorkId, optional.WorkId]);
    }

    [Fact]
    public void An_offer_the_core_withdrew_disappears_from_the_portal()
    {
        var offer = Item(PortalMode.Optional, Revision(5));
        _processor.Process(new PolicyResponse { Items = [offer] });
        _processor.Process(new PolicyResponse { Items = [] });
        _store.Load().PortalOffers.ShouldBeEmpty();
    }

    [Fact]
    public void The_same_work_and_revision_is_applied_only_once_however_often_it_arrives()
    {
        var item = Item(PortalMode.Required, Revision(3));
        _processor.Process(new PolicyResponse { Items = [item] }).Count.ShouldBe(1);
        _processor.Process(new PolicyResponse { Items = [item] }).ShouldBeEmpty();
        _applier.ApplyWork(item.WorkId, item.SettingRevision).ShouldBe(_store.Load().AppliedWork.Single());
        _store.Load().AppliedWork.Count.ShouldBe(1);
    }

    [Fact]
    public void The_same_work_with_a_new_revision_is_applied_again()
    {
        var workId = Guid.NewGuid();
        _processor.Process(new PolicyResponse { Items = [Item(PortalMode.Required, Revision(3), workId)] });
        var newer = Revision(4);
        _processor.Process(new PolicyResponse { Items = [Item(PortalMode.Required, newer, workId)] }).Count.ShouldBe(1);
        _store.Load().InstalledRevisionId.ShouldBe(newer.Id);
    }

    [Fact]
    public void Running_an_offer_from_the_portal_applies_it_and_removes_the_offer()
    {
        var offer = Item(PortalMode.Recommended, Revision(6));
        _processor.Process(new PolicyResponse { Items = [offer] });

        _applier.ApplyWork(offer.WorkId, offer.SettingRevision).Succeeded.ShouldBeTrue();

        var state = _store.Load();
        state.PortalOffers.ShouldBeEmpty();
        state.InstalledRevisionId.ShouldBe(offer.SettingRevision.Id);
        _processor.Process(new PolicyResponse { Items = [offer] });
        _store.Load().PortalOffers.ShouldBeEmpty(); // applied, so never offered again
    }

    [Fact]
    public void Invalid_settings_fail_the_work_and_leave_the_installed_revision_alone()
    {
        var outcome = _applier.ApplyWork(Guid.NewGuid(), Revision(7, checkIn: 1));
        outcome.Succeeded.ShouldBeFalse();
        outcome.Message!.ShouldContain("Check-in interval");
        _store.Load().InstalledRevisionId.ShouldBeNull();
    }
}

using System.Collections.Immutable;
using CoreConsole.NetBoot.Bsdp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;
using BsdpReply = CoreConsole.NetBoot.Tests.TestSupport.BsdpReply;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>Which images a client sees and which is its default (BSDP.md §7.2, §7.3; field case 8).</summary>
public class EligibilityTests
{
    private static List<string> Listed(BsdpResponder responder, string mac = ClientMac) =>
        [.. BsdpReply.Handle(responder, Request(BaseOpts + " " + FirmwareList, mac: mac)).Images().Select(i => i.Name)];

    // Case 8: EnabledSystemIdentifiers is a whitelist; DisabledSystemIdentifiers is not read; no Architectures ⇒ ppc.
    [Fact]
    public void Whitelists_on_enabled_system_identifiers_only()
    {
        // A's SIU "Disabled" list is not part of BootImage at all: the catalogue builder must not turn it into a blacklist.
        var a = Image(1000, "A");
        var b = Image(1001, "B", models: ["iMac18,3"]);
        var c = Image(1002, "C", architectures: ["ppc"]);
        Listed(Responder(a, b, c)).ShouldBe(["A"]);
    }

    [Fact]
    public void Compares_models_case_sensitively()
    {
        Listed(Responder(Image(1000, "A", models: ["macbookpro14,1"]), Image(1001, "B", models: ["MacBookPro14,1"]))).ShouldBe(["B"]);
    }

    [Fact]
    public void Honours_mac_allow_and_deny_lists()
    {
        var allowOther = Image(1000, "Allow other", enabledMacs: ["00-11-22-33-44-55"]);
        var allowMe = Image(1001, "Allow me", enabledMacs: ["80-E6-50-09-ED-A2"]);
        var denyMe = Image(1002, "Deny me", disabledMacs: ["80-E6-50-09-ED-A2"]);
        var open = Image(1003, "Open");
        var responder = Responder(allowOther, allowMe, denyMe, open);

        Listed(responder).ShouldBe(["Allow me", "Open"]);
        Listed(responder, mac: "001122334455").ShouldBe(["Allow other", "Deny me", "Open"]);
    }

    [Fact]
    public void Puts_default_images_first_unrestricted_before_model_restricted()
    {
        var responder = Responder(Image(1, "Plain"), Image(2, "Default for model", isDefault: true, models: ["MacBookPro14,1"]),
            Image(3, "Default for all", isDefault: true));

        var reply = BsdpReply.Handle(responder, List());
        reply.Images().Select(i => i.Name).ShouldBe(["Default for all", "Default for model", "Plain"]);
        reply.Vendor(v => v.DefaultBootImage).ShouldBe(0x81000003u);
    }

    [Fact]
    public void Picks_the_first_eligible_image_when_none_is_default()
    {
        var responder = Responder(Image(1, "Other model", models: ["iMac18,3"]), Image(2, "Mine"));
        BsdpReply.Handle(responder, List()).Vendor(v => v.DefaultBootImage).ShouldBe(0x81000002u);
    }

    private static BsdpResponder WithMapping(ushort? defaultIndex, params (string Model, ushort Index)[] models) =>
        new(Options(), new BootCatalog([Image(1, "Apple default", isDefault: true), Image(2, "Console default"), Image(3, "For MacBookPro"),
            Image(4, "iMac only", models: ["iMac18,3"])],
            ModelMapping.Create(defaultIndex, models.Select(m => KeyValuePair.Create(m.Model, m.Index)))));

    private static uint? DefaultOf(BsdpResponder responder) => BsdpReply.Handle(responder, List()).Vendor(v => v.DefaultBootImage);

    [Fact]
    public void Prefers_the_model_override_of_the_mapping()
    {
        DefaultOf(WithMapping(2, ("MacBookPro14,1", 3))).ShouldBe(0x81000003u);
    }

    [Fact]
    public void Falls_back_to_the_mapping_default_when_the_model_override_is_not_eligible()
    {
        DefaultOf(WithMapping(2, ("MacBookPro14,1", 4))).ShouldBe(0x81000002u);
    }

    [Fact]
    public void Falls_back_to_apple_rule_when_the_mapping_names_nothing_eligible()
    {
        DefaultOf(WithMapping(999, ("MacBookPro14,1", 4))).ShouldBe(0x81000001u);
        DefaultOf(WithMapping(null)).ShouldBe(0x81000001u);
    }

    [Fact]
    public void Ignores_model_overrides_for_other_models()
    {
        DefaultOf(WithMapping(2, ("iMac18,3", 3))).ShouldBe(0x81000002u);
    }

    [Fact]
    public void Swaps_the_catalogue_atomically()
    {
        var responder = Responder(NetInstall864);
        responder.UpdateCatalog(Catalog(Image(1, "New")));
        Listed(responder).ShouldBe(["New"]);
        responder.Catalog.Images.Single().Name.ShouldBe("New");
    }

    [Fact]
    public void Excludes_everyone_when_every_mac_whitelist_entry_is_unusable()
    {
        var odd = new BootImage(1, "Odd", true, 1, BootImageType.HTTP, ["i386"], [],
            [new System.Net.NetworkInformation.PhysicalAddress([1, 2, 3])], [], false, true,
            ImmutableDictionary<string, string>.Empty.Add("i386", "booter"), RootPath864);
        var responder = new BsdpResponder(Options());
        responder.UpdateCatalog(Catalog(odd)).ShouldHaveSingleItem();
        BsdpReply.Handle(responder, List()).Decision.DropReason.ShouldBe(BsdpDropReason.NoEligibleImage);
    }
}

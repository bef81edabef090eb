using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;
using BsdpReply = CoreConsole.NetBoot.Tests.TestSupport.BsdpReply;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>INFORM[SELECT] → ACK[SELECT] / ACK[FAILED] and client bindings: field cases 7, 9, 20.</summary>
public class AckSelectTests
{
    private static byte[] SelectFor(string serverHex, string imageHex) =>
        Request(BaseOpts + $" 2b 13 01 01 02 02 02 01 01 03 04 {serverHex} 08 04 {imageHex}");

    // Case 7: exact ACK[SELECT] options; 7 absent; 8 exactly 4 bytes.
    [Fact]
    public void Answers_select_with_the_reference_ack_select_bytes()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), Request(BaseOpts + " " + Select864));

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Select);
        var root = Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(RootPath864));
        reply.OptionsThroughEnd().ShouldBe(Hex(
            "35 01 05 36 04 0a 00 01 07 3c 09 41 41 50 4c 42 53 44 50 43 11 3d " + root +
            " 2b 15 01 01 02 08 04 81 00 03 60 82 0a 4e 65 74 42 6f 6f 74 30 30 31 ff"));
        System.Text.Encoding.ASCII.GetString(reply.Bytes, DhcpLayout.File, BootFile864.Length).ShouldBe(BootFile864);
        reply.Bytes[DhcpLayout.File + BootFile864.Length].ShouldBe((byte)0);
        reply.HeaderUInt32(DhcpLayout.Siaddr).ShouldBe(ServerIp);
        System.Text.Encoding.ASCII.GetString(reply.Bytes, DhcpLayout.Sname, 7).ShouldBe("agent1\0");
        reply.Decision.DestinationAddress.ShouldBe(ClientIp);
        reply.Decision.DestinationPort.ShouldBe((ushort)68);
    }

    [Fact]
    public void Answers_an_unknown_image_with_the_reference_ack_failed_bytes()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), SelectFor("0a 00 01 07", "81 00 03 61"));

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
        reply.OptionsThroughEnd().ShouldBe(Hex(ExpectedFailedOptions));
        reply.Bytes.AsSpan(DhcpLayout.File, DhcpLayout.FileLength).ToArray().ShouldAllBe(b => b == 0);
    }

    [Fact]
    public void Matches_select_on_all_32_bits_of_the_image_id()
    {
        // Same index 864, different attributes (non-install): must not be taken for 81000360.
        var reply = BsdpReply.Handle(Responder(NetInstall864), SelectFor("0a 00 01 07", "01 00 03 60"));
        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
    }

    [Fact]
    public void Keeps_images_whose_ids_differ_only_in_attributes_and_drops_exact_duplicates()
    {
        var responder = new BsdpResponder(Options());
        var problems = responder.UpdateCatalog(Catalog(NetInstall864, Image(864, "Non-install", install: false), Image(864, "Duplicate")));

        problems.ShouldHaveSingleItem().ShouldContain("Duplicate");
        BsdpReply.Handle(responder, List()).Images().Select(i => i.Name).ShouldBe(["NetInstall", "Non-install"]);
    }

    [Fact]
    public void Answers_failed_for_an_image_the_client_may_not_use()
    {
        var responder = Responder(Image(864, "NetInstall", models: ["iMac18,3"]), Image(865, "Other", isDefault: true));
        BsdpReply.Handle(responder, SelectFor("0a 00 01 07", "81 00 03 60")).Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
    }

    [Fact]
    public void Uses_the_default_image_when_select_names_none()
    {
        var responder = Responder(Image(865, "Other"), NetInstall864);
        var reply = BsdpReply.Handle(responder, Request(BaseOpts + " 2b 0d 01 01 02 02 02 01 01 03 04 0a 00 01 07"));

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Select);
        reply.Vendor(v => v.SelectedBootImage).ShouldBe(0x81000360u);
    }

    [Fact]
    public void Answers_failed_when_select_names_none_and_nothing_is_eligible()
    {
        var responder = Responder(Image(865, "PPC only", architectures: ["ppc"]));
        var reply = BsdpReply.Handle(responder, Request(BaseOpts + " 2b 0d 01 01 02 02 02 01 01 03 04 0a 00 01 07"));
        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
    }

    // Case 9 A.
    [Fact]
    public void Rejects_select_for_another_server_and_forgets_the_binding()
    {
        var responder = Responder(NetInstall864);
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864)).Decision.Reply.ShouldBe(BsdpReplyKind.Select);
        BsdpReply.Handle(responder, List()).SubOptionCodes().ShouldContain((byte)8);

        var other = BsdpReply.Handle(responder, SelectFor("0a 00 01 63", "81 00 03 60"));

        other.Decision.ShouldBe(BsdpDecision.Drop(BsdpDropReason.SelectForOtherServer));
        responder.BindingCount.ShouldBe(0);
        BsdpReply.Handle(responder, List()).SubOptionCodes().ShouldNotContain((byte)8);
    }

    [Fact]
    public void Drops_select_without_server_identifier()
    {
        var request = Request(BaseOpts + " 2b 0d 01 01 02 02 02 01 01 08 04 81 00 03 60");
        BsdpReply.Handle(Responder(NetInstall864), request).Decision.DropReason.ShouldBe(BsdpDropReason.SelectWithoutServerIdentifier);
    }

    // Case 9 B: no option 8 for unbound clients, priority = base − bindings.
    [Fact]
    public void Lowers_priority_by_one_per_binding_and_sends_option_8_only_to_bound_clients()
    {
        var responder = Responder(NetInstall864);
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864, mac: "001122334455"));
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864, mac: "001122334466"));

        var fresh = BsdpReply.Handle(responder, List());
        fresh.Vendor(v => v.ServerPriority).ShouldBe((ushort)0x7ffe);
        fresh.SubOptionCodes().ShouldNotContain((byte)8);

        var bound = BsdpReply.Handle(responder, Request(BaseOpts + " " + FirmwareList, mac: "001122334455"));
        bound.Vendor(v => v.SelectedBootImage).ShouldBe(0x81000360u);
        bound.SubOptionCodes().Take(4).ShouldBe([1, 4, 7, 8]);
    }

    [Fact]
    public void Floors_priority_at_zero()
    {
        var responder = new BsdpResponder(Options(basePriority: 1), Catalog(NetInstall864));
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864, mac: "001122334455"));
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864, mac: "001122334466"));
        BsdpReply.Handle(responder, List()).Vendor(v => v.ServerPriority).ShouldBe((ushort)0);
    }

    [Fact]
    public void Omits_option_8_when_the_bound_image_left_the_catalogue()
    {
        var responder = Responder(NetInstall864, Image(865, "Other"));
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864));
        responder.UpdateCatalog(Catalog(Image(865, "Other")));
        BsdpReply.Handle(responder, List()).SubOptionCodes().ShouldNotContain((byte)8);
    }

    [Fact]
    public void Numbers_machine_names_per_client_and_keeps_them_on_reselect()
    {
        var responder = Responder(NetInstall864);
        string Name(string mac) => System.Text.Encoding.ASCII.GetString(
            BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864, mac: mac)).Vendor(v => v.MachineName.ToArray()));

        Name("001122334455").ShouldBe("NetBoot001");
        Name("001122334466").ShouldBe("NetBoot002");
        Name("001122334455").ShouldBe("NetBoot001");
        responder.GetBindings().Select(b => b.Mac.ToString()).Order().ShouldBe(["001122334455", "001122334466"]);
    }

    // Case 20: a booter path that cannot fit the 128-byte file field is refused when the catalogue loads.
    [Fact]
    public void Refuses_images_whose_boot_file_path_does_not_fit_the_file_field()
    {
        var longPath = "/private/tftpboot/NetBoot/NetBootSP0/" + new string('d', 120) + ".nbi/i386/booter";
        var responder = new BsdpResponder(Options());
        var problems = responder.UpdateCatalog(Catalog(Image(864, "NetInstall", bootFile: longPath)));

        problems.ShouldHaveSingleItem().ShouldContain("128");
        BsdpReply.Handle(responder, List()).Decision.DropReason.ShouldBe(BsdpDropReason.NoEligibleImage);
        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864)).Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
    }

    [Fact]
    public void Answers_failed_when_the_booter_is_missing_on_disk()
    {
        var options = Options() with { BootFileExists = (_, _) => false };
        var responder = new BsdpResponder(options, Catalog(NetInstall864));

        BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864)).Decision.Reply.ShouldBe(BsdpReplyKind.Failed);
        responder.BindingCount.ShouldBe(0);
    }

    [Fact]
    public void Sends_no_root_path_for_boot_file_only_images()
    {
        var responder = Responder(Image(864, "Booter only", type: BootImageType.BootFileOnly));
        var reply = BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864));

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Select);
        DhcpPacketReader.TryParse(reply.Bytes, out var packet).ShouldBeTrue();
        packet.TryGetOption(DhcpOptionCode.RootPath, out _).ShouldBeFalse();
    }

    [Fact]
    public void Does_not_recheck_the_attributes_filter_on_select()
    {
        var diagnostics = Image(1024, "Diagnostics", install: false, kind: 3, filterOnly: true);
        var reply = BsdpReply.Handle(Responder(NetInstall864, diagnostics), SelectFor("0a 00 01 07", "03 00 04 00"));
        reply.Decision.Reply.ShouldBe(BsdpReplyKind.Select);
    }
}

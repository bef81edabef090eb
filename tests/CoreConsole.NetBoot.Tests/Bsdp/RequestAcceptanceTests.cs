using CoreConsole.NetBoot.Bsdp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;
using BsdpReply = CoreConsole.NetBoot.Tests.TestSupport.BsdpReply;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>What must get no reply: field cases 11, 12, 14, 19 and the acceptance rules of BSDP.md §6.1.</summary>
public class RequestAcceptanceTests
{
    private static BsdpDecision Handle(byte[] request, params BootImage[] images) =>
        BsdpReply.Handle(Responder(images.Length == 0 ? [NetInstall864] : images), request).Decision;

    // Case 11: firmware REQUEST / DISCOVER carry 02 02 01 01, whose byte 2 looks like "LIST".
    [Theory]
    [InlineData("03")]
    [InlineData("01")]
    public void Ignores_firmware_dhcp_phase_packets_that_look_like_list(string messageType)
    {
        var request = Request($"35 01 {messageType} 32 04 0a 00 01 5d 36 04 0a 00 01 01 37 04 01 03 2b 3c {ClassMacBookPro} 2b 04 02 02 01 01", ciaddr: 0);
        Handle(request).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotInform));
    }

    // Case 12 A: a dnsmasq OFFER to a Raspberry Pi, PXE sub-option 9 inside option 43.
    [Fact]
    public void Ignores_a_pxe_offer_seen_on_the_segment()
    {
        var request = Request("35 01 02 36 04 c0 a8 01 02 3c 09 50 58 45 43 6c 69 65 6e 74 2b 22 06 01 03 0a 04 00 50 58 45 09 16 00 00 13 52 61 73 70 62 65 72 72 79 20 50 69 20 42 6f 6f 74 20 20 ff ff", op: 2, ciaddr: 0, end: false);
        Handle(request).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotBootRequest));
    }

    // Case 12 B.
    [Fact]
    public void Ignores_a_pxe_discover()
    {
        var pxe = Convert.ToHexString("PXEClient:Arch:00000:UNDI:002001"u8);
        Handle(Request($"35 01 01 3c 20 {pxe}", ciaddr: 0)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotInform));
    }

    // Case 12 C: option-43 bytes alone never decide.
    [Fact]
    public void Ignores_a_windows_inform_whose_option_43_looks_like_bsdp()
    {
        var msft = Convert.ToHexString("MSFT 5.0"u8);
        Handle(Request($"35 01 08 3c 08 {msft} 2b 07 01 01 01 02 02 01 01")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotAppleVendorClass));
    }

    // Case 14.
    [Theory]
    [InlineData("2b 05 01 01 01 02 02", BsdpDropReason.MalformedVendorOptions)]             // A: version without bytes
    [InlineData("2b 09 01 01 01 02 02 01 01 05 04 03 e1", BsdpDropReason.Malformed)]        // B: reply port claims 4; "03 e1" then overruns the DHCP area
    [InlineData("2b 0b 01 01 01 02 02 01 01 05 04 03 e1", BsdpDropReason.MalformedVendorOptions)] // B': same, contained in its option 43
    [InlineData("2b 0d 01 01 01 02 02 01 01 05 04 00 00 03 e1", BsdpDropReason.MalformedVendorOptions)] // B'': complete but 4-byte reply port
    [InlineData("2b 40 01 01 01 02 02 01 01", BsdpDropReason.Malformed)]                    // C: option 43 overruns the packet
    [InlineData("2b 03 01 01 01", BsdpDropReason.NoVersion)]                               // D
    [InlineData("2b 02 01 01", BsdpDropReason.MalformedVendorOptions)]                       // F: sub-option value missing
    [InlineData("2b 07 01 01 01 02 02 01 02", BsdpDropReason.UnsupportedVersion)]          // G: version 1.2
    public void Drops_truncated_or_invalid_vendor_options(string option43, BsdpDropReason reason)
    {
        Handle(Request(BaseOpts + " " + option43)).ShouldBe(BsdpDecision.Drop(reason));
    }

    [Fact]
    public void Ignores_unknown_sub_options()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), Request(BaseOpts + " 2b 0a 01 01 01 02 02 01 01 0d 01 00"));
        reply.OptionsThroughEnd().ShouldBe(Hex(ExpectedListOptions));
    }

    // Case 19 A.
    [Fact]
    public void Sends_no_image_list_to_version_1_0_clients()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), Request(BaseOpts + " 2b 07 01 01 01 02 02 01 00"));
        reply.Decision.Reply.ShouldBe(BsdpReplyKind.List);
        reply.SubOptionCodes().ShouldBe([1, 4, 7]);
    }

    private static BootImage Diagnostics => Image(1024, "Diagnostics", install: false, kind: 3, filterOnly: true);

    // Case 19 B.
    [Fact]
    public void Lists_only_images_matching_the_attributes_filter()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864, Diagnostics), Request(BaseOpts + " 2b 0b 01 01 01 02 02 01 01 0b 02 03 00"));
        reply.Images().Select(i => i.Id.Value).ShouldBe([0x03000400u]);
        reply.Vendor(v => v.DefaultBootImage).ShouldBe(0x03000400u);
    }

    [Fact]
    public void Hides_filter_only_images_from_clients_without_a_filter()
    {
        BsdpReply.Handle(Responder(NetInstall864, Diagnostics), List()).Images().Select(i => i.Name).ShouldBe(["NetInstall"]);
    }

    [Fact]
    public void Ignores_an_odd_trailing_filter_byte()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864, Diagnostics), Request(BaseOpts + " 2b 0c 01 01 01 02 02 01 01 0b 03 03 00 81"));
        reply.Images().Select(i => i.Name).ShouldBe(["Diagnostics"]);
    }

    // Case 19 C.
    [Fact]
    public void Does_not_answer_when_the_filter_matches_nothing()
    {
        Handle(Request(BaseOpts + " 2b 0b 01 01 01 02 02 01 01 0b 02 03 00")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NoEligibleImage));
    }

    // Case 19 D.
    [Fact]
    public void Does_not_answer_a_ppc_client_of_an_i386_catalogue()
    {
        var ppc = "3c 19 " + Convert.ToHexString("AAPLBSDPC/ppc/PowerMac3,1"u8);
        Handle(Request("35 01 08 " + ppc + " " + FirmwareList)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NoEligibleImage));
    }

    [Fact]
    public void Drops_an_inform_without_ciaddr()
    {
        Handle(Request(BaseOpts + " " + FirmwareList, ciaddr: 0)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NoCiaddr));
    }

    [Fact]
    public void Drops_reply_port_zero()
    {
        Handle(Request(BaseOpts + " 2b 0b 01 01 01 02 02 01 01 05 02 00 00")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.BadReplyPort));
    }

    [Fact]
    public void Drops_netboot_1_0_firmware_clients()
    {
        Handle(Request(BaseOpts + " 2b 09 01 01 01 02 02 01 01 0a 00")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NetBoot10Client));
    }

    [Fact]
    public void Drops_requests_without_bsdp_message_type_or_with_failed()
    {
        Handle(Request(BaseOpts + " 2b 04 02 02 01 01")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NoMessageType));
        Handle(Request(BaseOpts + " 2b 07 01 01 03 02 02 01 01")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.UnsupportedMessageType));
    }

    [Fact]
    public void Drops_requests_without_option_43()
    {
        Handle(Request(BaseOpts)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NoVendorOptions));
    }

    [Fact]
    public void Drops_requests_naming_another_host_or_server()
    {
        Handle(Request(BaseOpts + " " + FirmwareList, sname: "otherhost")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotForThisServer));
        Handle(Request(BaseOpts + " " + FirmwareList, siaddr: OtherServerIp)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotForThisServer));
        Handle(Request(BaseOpts + " " + FirmwareList, sname: "agent1")).Reply.ShouldBe(BsdpReplyKind.List);
        Handle(Request(BaseOpts + " " + FirmwareList, siaddr: ServerIp)).Reply.ShouldBe(BsdpReplyKind.List);
    }

    [Fact]
    public void Drops_non_ethernet_hardware()
    {
        var request = List();
        request[2] = 16;
        Handle(request).ShouldBe(BsdpDecision.Drop(BsdpDropReason.UnsupportedHardwareType));
    }

    [Fact]
    public void Drops_a_server_style_vendor_class_from_a_client()
    {
        Handle(Request("35 01 08 3c 09 41 41 50 4c 42 53 44 50 43 " + FirmwareList)).ShouldBe(BsdpDecision.Drop(BsdpDropReason.NotAppleVendorClass));
    }

    [Fact]
    public void Takes_bsdp_sub_options_from_the_first_occurrence_across_option_43_instances()
    {
        // Two instances: type+version in the first, reply port twice (first wins: 993).
        var request = Request(BaseOpts + " 2b 07 01 01 01 02 02 01 01 2b 08 05 02 03 e1 05 02 00 44");
        var decision = Handle(request);
        decision.Reply.ShouldBe(BsdpReplyKind.List);
        decision.DestinationPort.ShouldBe((ushort)993);
    }

    [Fact]
    public void Drops_the_request_when_any_option_43_instance_is_malformed()
    {
        Handle(Request(BaseOpts + " " + FirmwareList + " 2b 02 05 02")).ShouldBe(BsdpDecision.Drop(BsdpDropReason.MalformedVendorOptions));
    }
}

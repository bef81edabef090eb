using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;
using BsdpReply = CoreConsole.NetBoot.Tests.TestSupport.BsdpReply;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>INFORM[LIST] → ACK[LIST]: field cases 1, 2, 3, 5, 6 and the reference ACK[LIST] bytes.</summary>
public class AckListTests
{
    [Fact]
    public void Answers_firmware_list_with_the_reference_ack_list_bytes()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), List());

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.List);
        reply.OptionsThroughEnd().ShouldBe(Hex(ExpectedListOptions));
        reply.Bytes.Length.ShouldBe(300); // 297 bytes padded to Apple's minimum
        reply.Bytes.AsSpan(297).ToArray().ShouldAllBe(b => b == 0);
        reply.Bytes[0].ShouldBe((byte)2);
        reply.HeaderUInt32(DhcpLayout.Xid).ShouldBe(Xid);
        reply.HeaderUInt32(DhcpLayout.Ciaddr).ShouldBe(ClientIp);
        reply.HeaderUInt32(DhcpLayout.Yiaddr).ShouldBe(0u);
        reply.HeaderUInt32(DhcpLayout.Siaddr).ShouldBe(ServerIp);
        reply.HeaderUInt32(DhcpLayout.Giaddr).ShouldBe(0u);
        Convert.ToHexStringLower(reply.Bytes.AsSpan(DhcpLayout.Chaddr, 16)).ShouldBe(ClientMac + new string('0', 20));
        reply.Decision.DestinationAddress.ShouldBe(ClientIp);
        reply.Decision.DestinationPort.ShouldBe((ushort)68);
    }

    // Case 5: newer firmware needs 4 and 7 next to 1 and 9, and 7 must name a listed image.
    [Fact]
    public void Includes_priority_and_a_listed_default_image_in_the_first_option_43()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864, Image(865, "Other")), List());

        var first = reply.VendorInstances()[0];
        var codes = new List<byte>();
        foreach (var sub in new DhcpOptionEnumerator(first)) codes.Add(sub.Code);
        codes.ShouldBe([1, 4, 7, 9]);
        var defaultId = reply.Vendor(v => v.DefaultBootImage);
        defaultId.ShouldBe(0x81000360u);
        reply.Images().Select(i => i.Id.Value).ShouldContain(defaultId!.Value);
    }

    // Case 1: twelve 41-byte descriptions split 5 + 6 + 1 over three option-43 instances.
    [Fact]
    public void Splits_a_long_image_list_over_several_option_43_instances()
    {
        var images = Enumerable.Range(0, 12).Select(i => Image((ushort)(1000 + i), $"Image {i:D2} " + new string('x', 27))).ToArray();
        images.ShouldAllBe(i => i.Name.Length == 36);
        var reply = BsdpReply.Handle(Responder(images), Request(BaseOpts + " " + StartupDiskList));

        reply.Decision.DestinationPort.ShouldBe((ushort)993);
        var instances = reply.VendorInstances();
        instances.Select(i => i.Length).ShouldBe([0xdc, 0xf8, 0x2b]);
        Convert.ToHexStringLower(instances[0].AsSpan(13, 2)).ShouldBe("09cd");
        Convert.ToHexStringLower(instances[1].AsSpan(0, 2)).ShouldBe("09f6");
        Convert.ToHexStringLower(instances[2].AsSpan(0, 2)).ShouldBe("0929");
        reply.Images().Select(i => (int)i.Id.Index).ShouldBe(Enumerable.Range(1000, 12));
        reply.Decision.ListTruncated.ShouldBeFalse();
    }

    [Fact]
    public void Truncates_the_list_to_whole_descriptions_when_the_client_gives_no_size()
    {
        var images = Enumerable.Range(0, 12).Select(i => Image((ushort)(1000 + i), $"Image {i:D2} " + new string('x', 27))).ToArray();
        var request = Request("35 01 08 " + ClassMacBookPro + " " + FirmwareList);

        var reply = BsdpReply.Handle(Responder(images), request);

        reply.Decision.Reply.ShouldBe(BsdpReplyKind.List);
        reply.Decision.ListTruncated.ShouldBeTrue();
        reply.Images().Count.ShouldBe(5);
        reply.VendorInstances().Count.ShouldBe(1);
        reply.Bytes.Length.ShouldBeLessThanOrEqualTo(520);
    }

    [Fact]
    public void Lists_a_hundred_images_within_the_8192_byte_limit()
    {
        var images = Enumerable.Range(0, 100).Select(i => Image((ushort)(2000 + i), $"Image number {i:D3} " + new string('y', 40))).ToArray();
        var reply = BsdpReply.Handle(Responder(images), Request(BaseOpts + " " + StartupDiskList));

        reply.Images().Count.ShouldBe(100);
        reply.Bytes.Length.ShouldBeLessThanOrEqualTo(8164);
        reply.Bytes.Length.ShouldBeGreaterThan(1500);
        reply.VendorInstances().ShouldAllBe(i => i.Length <= 255);
    }

    [Fact]
    public void Honours_dhcp_option_57_when_bsdp_option_12_is_absent()
    {
        var images = Enumerable.Range(0, 100).Select(i => Image((ushort)(2000 + i), $"Image number {i:D3} " + new string('y', 40))).ToArray();
        var reply = BsdpReply.Handle(Responder(images), List()); // 57 = 1500

        reply.Bytes.Length.ShouldBeLessThanOrEqualTo(1472);
        reply.Decision.ListTruncated.ShouldBeTrue();
        reply.Images().Count.ShouldBe(reply.Decision.ImagesListed);
    }

    [Fact]
    public void Cuts_long_names_at_246_bytes_on_a_character_boundary()
    {
        var name = new string('a', 245) + "é" + "tail"; // 'é' is 2 bytes and straddles byte 246
        var reply = BsdpReply.Handle(Responder(Image(864, name, isDefault: true)), List());

        var listed = reply.Images().Single().Name;
        listed.ShouldBe(new string('a', 245));
        reply.VendorInstances().Count.ShouldBe(2); // 251-byte description does not fit beside 1, 4, 7
    }

    // Case 2: relayed request: reply to ciaddr:68, giaddr echoed, hops cleared, option 54 = us.
    [Fact]
    public void Answers_a_relayed_client_at_its_ciaddr_not_the_relay()
    {
        var request = Request(BaseOpts + " " + FirmwareList, ciaddr: 0x0A140039, hops: 1, giaddr: 0x0A140001);
        var reply = BsdpReply.Handle(Responder(NetInstall864), request);

        reply.Decision.DestinationAddress.ShouldBe(0x0A140039u);
        reply.Decision.DestinationPort.ShouldBe((ushort)68);
        reply.HeaderUInt32(DhcpLayout.Giaddr).ShouldBe(0x0A140001u);
        reply.Bytes[DhcpLayout.Hops].ShouldBe((byte)0);
        reply.OptionsThroughEnd().ShouldBe(Hex(ExpectedListOptions));
    }

    // Case 3 A and C: option 5 decides the port.
    [Fact]
    public void Replies_to_the_startup_disk_reply_port()
    {
        var reply = BsdpReply.Handle(Responder(NetInstall864), Request(BaseOpts + " " + StartupDiskList));
        reply.Decision.Reply.ShouldBe(BsdpReplyKind.List);
        reply.Decision.DestinationPort.ShouldBe((ushort)993);
    }

    // Case 3 B.
    [Fact]
    public void Drops_a_list_whose_reply_port_is_not_privileged()
    {
        var request = Request(BaseOpts + " 2b 0f 01 01 01 02 02 01 01 05 02 04 00 0c 02 20 00");
        BsdpReply.Handle(Responder(NetInstall864), request).Decision.ShouldBe(BsdpDecision.Drop(BsdpDropReason.BadReplyPort));
    }

    // Case 6: Index 0 never listed, option 7 never 0.
    [Fact]
    public void Never_advertises_image_id_zero()
    {
        var responder = Responder(Image(0, "Broken", isDefault: true), Image(864, "NetInstall"));
        var reply = BsdpReply.Handle(responder, List());

        reply.Vendor(v => v.DefaultBootImage).ShouldBe(0x81000360u);
        reply.Images().Select(i => i.Name).ShouldBe(["NetInstall"]);
        reply.Images().ShouldAllBe(i => i.Id.Value != 0);
    }

    [Fact]
    public void Reports_index_zero_images_as_catalogue_problems()
    {
        var responder = new BsdpResponder(Options());
        var problems = responder.UpdateCatalog(Catalog(Image(0, "Broken"), Image(864, "NetInstall")));
        problems.ShouldHaveSingleItem().ShouldContain("Broken");
    }

    [Fact]
    public void Puts_zero_siaddr_in_list_replies_when_configured_like_old_bootpd()
    {
        var responder = new BsdpResponder(Options() with { ServerAddressInListSiaddr = false }, Catalog(NetInstall864));
        BsdpReply.Handle(responder, List()).HeaderUInt32(DhcpLayout.Siaddr).ShouldBe(0u);
    }

    [Fact]
    public void Drops_when_the_reply_buffer_cannot_hold_a_minimum_reply()
    {
        BsdpReply.Handle(Responder(NetInstall864), List(), bufferSize: 200).Decision.DropReason.ShouldBe(BsdpDropReason.ReplyBufferTooSmall);
    }
}

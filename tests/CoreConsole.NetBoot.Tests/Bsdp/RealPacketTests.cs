using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>Bytes from real or published packets (BSDP-FIELD-CASES.md "Real packet bytes").</summary>
public class RealPacketTests
{
    private static readonly byte[] Capture = BsdpFixtures.Bytes("bsdp/osx-10.11-ack-list.bin");

    [Fact]
    public void Hex_and_binary_fixtures_of_the_10_11_capture_agree()
    {
        Convert.FromHexString(File.ReadAllText(BsdpFixtures.PathOf("bsdp/osx-10.11-ack-list.hex")).Trim()).ShouldBe(Capture);
    }

    // R1: decode every listed field.
    [Fact]
    public void Decodes_the_os_x_10_11_ack_list_capture()
    {
        Capture.Length.ShouldBe(349);
        DhcpPacketReader.TryParse(Capture, out var p).ShouldBeTrue();
        p.Op.ShouldBe((byte)2);
        p.Xid.ShouldBe(0x0D6588A4u);
        p.Ciaddr.ShouldBe(ClientIp);
        (p.Yiaddr, p.Siaddr, p.Giaddr).ShouldBe((0u, 0u, 0u));
        Convert.ToHexStringLower(p.Chaddr[..6]).ShouldBe(ClientMac);
        p.MessageType.ShouldBe(DhcpMessageType.Ack);
        p.TryGetOption(DhcpOptionCode.ServerIdentifier, out var sid).ShouldBeTrue();
        sid.ToArray().ShouldBe(new byte[] { 10, 0, 1, 7 });
        p.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out var vc).ShouldBeTrue();
        BsdpVendorClass.TryParse(vc, out var cls).ShouldBeTrue();
        cls.IsServer.ShouldBeTrue();

        BsdpVendorOptions.TryParse(p, out var v).ShouldBe(BsdpVendorOptionsStatus.Ok);
        v.MessageType.ShouldBe(BsdpMessageType.List);
        v.ServerPriority.ShouldBe((ushort)0x7ffe);
        v.DefaultBootImage.ShouldBe(0x82000447u);
        v.SelectedBootImage.ShouldBeNull();
        var images = BsdpImageListReader.ReadAll(p);
        images.Select(i => i.Name).ShouldBe(["DSR-1095", "NetInstall of Install OS X El Capitan 10.11.3 - 15D21"]);
        var dsr = images[0].Id;
        (dsr.IsInstall, dsr.Kind, dsr.Index).ShouldBe((true, (byte)2, (ushort)1095));
        var netInstall = images[1].Id;
        (netInstall.IsInstall, netInstall.Kind, netInstall.Index).ShouldBe((true, (byte)1, (ushort)864));
    }

    // R1: the same catalogue, two other clients bound (priority 32766), siaddr 0 as bootp ≤ 359 → identical bytes.
    [Fact]
    public void Re_encodes_the_os_x_10_11_ack_list_byte_for_byte()
    {
        var catalog = Catalog(
            Image(1095, "DSR-1095", kind: 2, isDefault: true),
            Image(864, "NetInstall of Install OS X El Capitan 10.11.3 - 15D21"));
        var responder = new BsdpResponder(Options() with { ServerAddressInListSiaddr = false }, catalog);
        var select = BaseOpts + " 2b 13 01 01 02 02 02 01 01 03 04 0a 00 01 07 08 04 82 00 04 47";
        BsdpReply.Handle(responder, Request(select, mac: "001122334455")).Decision.Reply.ShouldBe(BsdpReplyKind.Select);
        BsdpReply.Handle(responder, Request(select, mac: "001122334466")).Decision.Reply.ShouldBe(BsdpReplyKind.Select);

        var reply = BsdpReply.Handle(responder, List());

        reply.Bytes.ShouldBe(Capture);
    }

    // R4: Wikipedia's ACK[SELECT] option 43 decodes, and our first SELECT for image 2021 produces the same bytes.
    [Fact]
    public void Produces_the_published_ack_select_vendor_options()
    {
        var published = Hex(File.ReadAllText(BsdpFixtures.PathOf("bsdp/wikipedia-example-select-vendor-options.hex")));
        var responder = Responder(Image(2021, "Install", isDefault: true));
        var reply = BsdpReply.Handle(responder, Request(BaseOpts + " 2b 13 01 01 02 02 02 01 01 03 04 0a 00 01 07 08 04 81 00 07 e5"));

        reply.VendorInstances().ShouldHaveSingleItem().ShouldBe(published);
        reply.Vendor(v => v.SelectedBootImage).ShouldBe(0x810007E5u);
        System.Text.Encoding.ASCII.GetString(reply.Vendor(v => v.MachineName.ToArray())).ShouldBe("NetBoot001");
    }

    // R3: the NetSUS template's shadow-mount length is wrong; the area must fail as a whole.
    [Fact]
    public void Rejects_the_netsus_template_with_a_mis_sized_sub_option()
    {
        var template = "01 01 02 08 04 01 00 02 0e 80 24 61 66 70 3a 2f 2f 61 66 70 75 73 65 72 3a 61 66 70 75 73 65 72 31 40 31 30 2e 31 30 2e 31 32 2e 31 33 31 2f 4e 65 74 42 6f 6f 74 81 11 4e 65 74 42 6f 6f 74 30 30 31 2f 53 68 61 64 6f 77";
        var area = Hex(template);
        DhcpOptionEnumerator.IsWellFormed(area).ShouldBeFalse();
        var packet = Request($"35 01 05 2b {area.Length:x2} {template}", op: 2);
        DhcpPacketReader.TryParse(packet, out var p).ShouldBeTrue();
        BsdpVendorOptions.TryParse(p, out _).ShouldBe(BsdpVendorOptionsStatus.Malformed);
    }

    // R8: the Go library's vectors.
    [Fact]
    public void Encodes_boot_image_ids_like_the_go_library_vectors()
    {
        BsdpBootImageId.Create(true, 1, 0x1000).Value.ShouldBe(0x81001000u);
        BsdpBootImageId.Create(false, 1, 0x1000).Value.ShouldBe(0x01001000u);
        new BsdpBootImageId(0x80002331).Attributes.ShouldBe((ushort)0x8000);
        BsdpBootImageId.Create(true, 1, 0x1000).IsGloballyUnique.ShouldBeTrue();
        BsdpBootImageId.Create(true, 1, 0x0fff).IsGloballyUnique.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2b 0c 01 01 01 02 02 01 01 08 03 81 00 10")]      // short image id
    [InlineData("2b 05 01 01 01 02 00")]                           // version length 0
    [InlineData("2b 06 01 01 01 02 01 01")]                        // version length 1
    [InlineData("2b 08 01 01 01 02 03 01 01 00")]                  // version length 3
    public void Rejects_sub_options_with_wrong_fixed_lengths(string option43)
    {
        DhcpPacketReader.TryParse(Request(BaseOpts + " " + option43), out var p).ShouldBeTrue();
        BsdpVendorOptions.TryParse(p, out _).ShouldBe(BsdpVendorOptionsStatus.BadLength);
    }

    [Fact]
    public void Reads_the_go_library_image_list_vector()
    {
        var list = "01 00 03 e9 06 62 73 64 70 2d 31 80 00 23 31 06 62 73 64 70 2d 32";
        DhcpPacketReader.TryParse(Request($"35 01 05 2b 18 09 16 {list}", op: 2), out var p).ShouldBeTrue();
        BsdpImageListReader.ReadAll(p).ShouldBe([(new BsdpBootImageId(0x010003e9), "bsdp-1"), (new BsdpBootImageId(0x80002331), "bsdp-2")]);
    }
}

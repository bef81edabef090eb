using CoreConsole.NetBoot.Dhcp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;

namespace CoreConsole.NetBoot.Tests.Dhcp;

public class DhcpPacketReaderTests
{
    [Fact]
    public void Rejects_packets_shorter_than_header_and_cookie()
    {
        DhcpPacketReader.TryParse(Request("")[..239], out _).ShouldBeFalse();
    }

    [Fact]
    public void Rejects_a_wrong_magic_cookie()
    {
        var packet = Request("35 01 08");
        packet[239] = 0x64;
        DhcpPacketReader.TryParse(packet, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("35 01 08 3c")]          // tag without length byte
    [InlineData("35 01 08 3c 05 41 41")] // length past the end
    [InlineData("35 02 08")]
    public void Rejects_the_whole_packet_on_any_overrun(string options)
    {
        DhcpPacketReader.TryParse(Request(options, end: false), out _).ShouldBeFalse();
    }

    [Fact]
    public void Skips_pads_and_ignores_everything_after_end()
    {
        DhcpPacketReader.TryParse(Request("00 00 35 01 08 00 ff 3c 40 01", end: false), out var p).ShouldBeTrue();
        p.MessageType.ShouldBe(DhcpMessageType.Inform);
        p.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out _).ShouldBeFalse();
    }

    [Fact]
    public void Accepts_an_options_area_without_end()
    {
        DhcpPacketReader.TryParse(Request("35 01 08", end: false), out var p).ShouldBeTrue();
        p.MessageType.ShouldBe(DhcpMessageType.Inform);
    }

    [Fact]
    public void Returns_the_first_occurrence_of_an_option()
    {
        DhcpPacketReader.TryParse(Request("35 01 08 35 01 01"), out var p).ShouldBeTrue();
        p.MessageType.ShouldBe(DhcpMessageType.Inform);
    }

    [Fact]
    public void Enumerates_every_instance_of_option_43_in_order()
    {
        DhcpPacketReader.TryParse(Request("2b 01 aa 35 01 08 2b 02 bb cc"), out var p).ShouldBeTrue();
        var values = new List<string>();
        foreach (var o in p.OptionsWithCode(43)) values.Add(Convert.ToHexStringLower(o.Value));
        values.ShouldBe(["aa", "bbcc"]);
    }

    [Fact]
    public void Reads_overloaded_file_then_sname()
    {
        var packet = Request("34 01 03 35 01 08");
        Hex("2b 01 0f 3c 03 41 42 43 ff").CopyTo(packet, DhcpLayout.File);
        Hex("2b 01 05 ff").CopyTo(packet, DhcpLayout.Sname);
        DhcpPacketReader.TryParse(packet, out var p).ShouldBeTrue();

        p.FileHoldsOptions.ShouldBeTrue();
        p.SnameHoldsOptions.ShouldBeTrue();
        p.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out var vc).ShouldBeTrue();
        System.Text.Encoding.ASCII.GetString(vc).ShouldBe("ABC");
        var vendor = new List<byte>();
        foreach (var o in p.OptionsWithCode(43)) vendor.Add(o.Value[0]);
        vendor.ShouldBe([0x0f, 0x05]);
    }

    [Fact]
    public void Ignores_a_malformed_overloaded_area_but_keeps_the_packet()
    {
        var packet = Request("34 01 01 35 01 08");
        Hex("3c 7f 41").CopyTo(packet, DhcpLayout.File);
        DhcpPacketReader.TryParse(packet, out var p).ShouldBeTrue();
        p.FileHoldsOptions.ShouldBeFalse();
        p.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out _).ShouldBeFalse();
    }

    [Fact]
    public void Reads_header_fields()
    {
        DhcpPacketReader.TryParse(Request("35 01 08", giaddr: 0x0A140001, hops: 1), out var p).ShouldBeTrue();
        (p.Op, p.HType, p.HLen, p.Hops).ShouldBe(((byte)1, (byte)1, (byte)6, (byte)1));
        p.Xid.ShouldBe(Xid);
        p.Ciaddr.ShouldBe(ClientIp);
        p.Giaddr.ShouldBe(0x0A140001u);
    }
}

public class DhcpPacketWriterTests
{
    [Fact]
    public void Marks_overflow_instead_of_throwing()
    {
        var buffer = new byte[242];
        var w = new DhcpPacketWriter(buffer);
        w.WriteHeader(2);
        w.WriteOption(53, 5);
        w.Overflowed.ShouldBeTrue();
        w.Position.ShouldBe(240);
    }

    [Fact]
    public void Patches_lengths_of_nested_options()
    {
        var buffer = new byte[300];
        var w = new DhcpPacketWriter(buffer);
        int outer = w.BeginOption(43);
        w.WriteOptionUInt16(4, 0x8000);
        w.EndOption(outer);
        Convert.ToHexStringLower(w.Written).ShouldBe("2b0404028000");
    }

    [Fact]
    public void Refuses_option_values_over_255_bytes()
    {
        var w = new DhcpPacketWriter(new byte[1000]);
        w.WriteOption(17, new byte[256]);
        w.Overflowed.ShouldBeTrue();
    }
}

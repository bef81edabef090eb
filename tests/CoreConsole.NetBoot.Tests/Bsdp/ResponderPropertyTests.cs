using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;
using CsCheck;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>Random and mutated packets: nothing throws, nothing invalid is answered, every reply is well formed.</summary>
public class ResponderPropertyTests
{
    private static readonly BsdpResponder Shared = Responder(NetInstall864, Image(865, "Second"),
        Image(1024, "Diagnostics", install: false, kind: 3, filterOnly: true));

    private static readonly byte[][] Valid =
    [
        List(),
        Request(BaseOpts + " " + StartupDiskList),
        Request(BaseOpts + " " + Select864),
        Request(BaseOpts + " 2b 0b 01 01 01 02 02 01 01 0b 02 03 00"),
    ];

    [Fact]
    public void Never_answers_random_bytes()
    {
        Gen.Byte.Array[0, 700].Sample(bytes =>
        {
            var decision = Shared.Handle(bytes, new byte[8192]);
            decision.HasReply.ShouldBeFalse();
        }, iter: 20_000);
    }

    [Fact]
    public void Never_answers_random_options_after_a_valid_header()
    {
        Gen.Byte.Array[0, 400].Sample(options =>
        {
            byte[] packet = [.. Valid[0].AsSpan(0, 240), .. options];
            Shared.Handle(packet, new byte[8192]).HasReply.ShouldBeFalse();
        }, iter: 20_000);
    }

    [Fact]
    public void Answers_mutated_packets_only_with_well_formed_replies()
    {
        var gen = Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 4].SelectMany(n => Gen.Select(Gen.Int[0, 400], Gen.Byte).Array[n]));
        gen.Sample((which, mutations) =>
        {
            var packet = (byte[])Valid[which].Clone();
            foreach (var (at, value) in mutations) packet[at % packet.Length] = value;
            var buffer = new byte[8192];
            var decision = Shared.Handle(packet, buffer);
            if (decision.HasReply) AssertWellFormedReply(packet, buffer.AsSpan(0, decision.ReplyLength), decision);
        }, iter: 20_000);
    }

    [Fact]
    public void Never_answers_a_packet_cut_inside_an_option()
    {
        foreach (var valid in Valid)
        {
            var inside = OffsetsInsideOptions(valid);
            Gen.Int[0, inside.Count - 1].Sample(i =>
            {
                var decision = Shared.Handle(valid.AsSpan(0, inside[i]), new byte[8192]);
                decision.ShouldBe(BsdpDecision.Drop(BsdpDropReason.Malformed));
            }, iter: 500);
        }
    }

    [Fact]
    public void Never_answers_a_packet_whose_required_bytes_are_changed()
    {
        // op, the option-53 value, a letter of the class prefix, the length of the BSDP version sub-option.
        var list = List();
        int[] critical = [0, 242, 255, list.Length - 4];
        Gen.Select(Gen.Int[0, critical.Length - 1], Gen.Byte).Sample((i, value) =>
        {
            var packet = (byte[])list.Clone();
            if (packet[critical[i]] == value) return;
            packet[critical[i]] = value;
            Shared.Handle(packet, new byte[8192]).HasReply.ShouldBeFalse();
        }, iter: 5_000);
    }

    private static List<int> OffsetsInsideOptions(byte[] packet)
    {
        var result = new List<int>();
        int i = DhcpLayout.Options;
        while (i < packet.Length && packet[i] != 0xFF)
        {
            int end = i + 2 + packet[i + 1];
            for (int cut = i + 1; cut < end; cut++) result.Add(cut);
            i = end;
        }
        return result;
    }

    private static void AssertWellFormedReply(byte[] request, ReadOnlySpan<byte> reply, BsdpDecision decision)
    {
        DhcpPacketReader.TryParse(reply, out var p).ShouldBeTrue();
        p.Op.ShouldBe((byte)2);
        p.Xid.ShouldBe(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(4)));
        p.MessageType.ShouldBe(DhcpMessageType.Ack);
        decision.DestinationAddress.ShouldNotBe(0u);
        decision.DestinationPort.ShouldBeLessThan((ushort)1024);
        foreach (var o in p.OptionsWithCode(DhcpOptionCode.VendorSpecific))
            DhcpOptionEnumerator.IsWellFormed(o.Value).ShouldBeTrue();
        BsdpVendorOptions.TryParse(p, out var v).ShouldBe(BsdpVendorOptionsStatus.Ok);
        BsdpImageListReader.TryValidate(p, out _).ShouldBeTrue();
        if (v.DefaultBootImage is uint id) id.ShouldNotBe(0u);
    }
}

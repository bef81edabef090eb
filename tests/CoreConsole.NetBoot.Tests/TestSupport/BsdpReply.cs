using System.Buffers.Binary;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>A handled request: the decision plus a copy of the reply bytes, with decoding helpers for assertions.</summary>
internal sealed class BsdpReply
{
    public BsdpReply(BsdpDecision decision, byte[] bytes)
    {
        Decision = decision;
        Bytes = bytes;
    }

    public BsdpDecision Decision { get; }
    public byte[] Bytes { get; }

    public static BsdpReply Handle(BsdpResponder responder, byte[] request, int bufferSize = 8192)
    {
        var buffer = new byte[bufferSize];
        var decision = responder.Handle(request, buffer);
        return new BsdpReply(decision, buffer[..decision.ReplyLength]);
    }

    /// <summary>Options area up to and including End (padding excluded).</summary>
    public byte[] OptionsThroughEnd()
    {
        var options = Bytes.AsSpan(DhcpLayout.Options);
        int i = 0;
        while (i < options.Length && options[i] != 0xFF) i += options[i] == 0 ? 1 : 2 + options[i + 1];
        return options[..(i + 1)].ToArray();
    }

    public uint HeaderUInt32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan(offset));

    /// <summary>Payloads of every option-43 instance, in order.</summary>
    public List<byte[]> VendorInstances()
    {
        DhcpPacketReader.TryParse(Bytes, out var packet).ShouldBeTrue();
        var result = new List<byte[]>();
        foreach (var o in packet.OptionsWithCode(DhcpOptionCode.VendorSpecific)) result.Add(o.Value.ToArray());
        return result;
    }

    public List<(BsdpBootImageId Id, string Name)> Images()
    {
        DhcpPacketReader.TryParse(Bytes, out var packet).ShouldBeTrue();
        return BsdpImageListReader.ReadAll(packet);
    }

    /// <summary>Sub-option codes present in the concatenated option 43s, in order.</summary>
    public List<byte> SubOptionCodes()
    {
        var codes = new List<byte>();
        foreach (var instance in VendorInstances())
            foreach (var sub in new DhcpOptionEnumerator(instance)) codes.Add(sub.Code);
        return codes;
    }

    public T Vendor<T>(Func<BsdpVendorOptions, T> read)
    {
        DhcpPacketReader.TryParse(Bytes, out var packet).ShouldBeTrue();
        BsdpVendorOptions.TryParse(packet, out var options).ShouldBe(BsdpVendorOptionsStatus.Ok);
        return read(options);
    }
}

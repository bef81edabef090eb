using System.Net;
using BenchmarkDotNet.Attributes;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.Benchmarks.Bsdp;

/// <summary>
/// One request through the responder's zero-allocation path <c>Handle(ReadOnlySpan&lt;byte&gt;, Span&lt;byte&gt;)</c>:
/// parse + decide + encode, against a 20-image catalogue. Budget: ≤ 2 µs and 0 B per request.
/// </summary>
[MemoryDiagnoser]
public class BsdpResponderBenchmarks
{
    private static readonly IPAddress Server = IPAddress.Parse("10.0.1.7");
    private static readonly IPAddress Client = IPAddress.Parse("10.0.1.93");

    private BsdpResponder _responder = null!;
    private byte[] _list = null!;
    private byte[] _select = null!;
    private readonly byte[] _reply = new byte[BsdpLimits.MaxMessageSize];

    [Params(20)]
    public int Images { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var catalog = BsdpBenchFixtures.Catalog(Images);
        _responder = new BsdpResponder(BsdpBenchFixtures.Options(Server), catalog);
        if (_responder.Catalog.Images.Length != Images) throw new InvalidOperationException("catalogue images were rejected");
        _list = BsdpBenchFixtures.ListRequest(Client, 993);
        _select = BsdpBenchFixtures.SelectRequest(Client, 993, Server, BsdpBenchFixtures.ImageId(catalog, 1005));

        // Fail fast if a request would be dropped: a benchmark of the drop path would look wonderfully fast.
        var list = _responder.Handle(_list, _reply);
        if (list.Reply != BsdpReplyKind.List) throw new InvalidOperationException($"LIST dropped: {list.DropReason}");
        var select = _responder.Handle(_select, _reply);
        if (select.Reply != BsdpReplyKind.Select) throw new InvalidOperationException($"SELECT not acked: {select.Reply} {select.DropReason}");
    }

    [Benchmark(Description = "INFORM[LIST] parse+decide+encode")]
    public int List() => _responder.Handle(_list, _reply).ReplyLength;

    [Benchmark(Description = "INFORM[SELECT] parse+decide+encode")]
    public int Select() => _responder.Handle(_select, _reply).ReplyLength;

    /// <summary>What the responder reads before deciding: DHCP header/options, option 60, option 43.</summary>
    [Benchmark(Description = "INFORM[LIST] parse only")]
    public int ParseOnly()
    {
        if (!DhcpPacketReader.TryParse(_list, out var packet)) return -1;
        if (packet.MessageType != DhcpMessageType.Inform) return -2;
        if (!packet.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out var vendorClass)
            || !BsdpVendorClass.TryParse(vendorClass, out var parsedClass)) return -3;
        if (BsdpVendorOptions.TryParse(packet, out var bsdp) != BsdpVendorOptionsStatus.Ok) return -4;
        return (int)bsdp.MessageType + (bsdp.ReplyPort ?? 0) + parsedClass.SystemIdentifier.Length;
    }
}

using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Hosting;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;
using BsdpReply = CoreConsole.NetBoot.Tests.TestSupport.BsdpReply;

namespace CoreConsole.NetBoot.Tests.Hosting;

/// <summary>Real UDP round trips on 127.0.0.1 with high ports.</summary>
public class BsdpServerTests
{
    private const uint Loopback = 0x7F000001;

    private static BsdpServer NewServer(params BootImage[] images) => new(new BsdpServerOptions
    {
        Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
        // Tests cannot bind privileged client ports, so the reply-port rule is relaxed here only.
        Responder = new BsdpResponderOptions { ServerAddress = IPAddress.Loopback, ReplyPortLimit = 65536 },
    }, Catalog(images.Length == 0 ? [NetInstall864] : images));

    private static byte[] InformFrom(UdpClient client, string bsdp)
    {
        ushort port = (ushort)((IPEndPoint)client.Client.LocalEndPoint!).Port;
        return Request($"{BaseOpts} {bsdp} 2b 04 05 02 {port >> 8:x2} {port & 0xff:x2}", ciaddr: Loopback);
    }

    private static async Task<byte[]> ReceiveAsync(UdpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await client.ReceiveAsync(timeout.Token);
        result.RemoteEndPoint.Port.ShouldNotBe(0);
        return result.Buffer;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 250 && !condition(); i++) await Task.Delay(20, TestContext.Current.CancellationToken);
        condition().ShouldBeTrue();
    }

    [Fact]
    public async Task Answers_list_and_select_over_udp()
    {
        await using var server = NewServer();
        await server.StartAsync(TestContext.Current.CancellationToken);
        var endpoint = await server.Ready;
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), endpoint, TestContext.Current.CancellationToken);
        var list = new BsdpReply(default, await ReceiveAsync(client));
        list.Images().Select(i => i.Name).ShouldBe(["NetInstall"]);
        list.Vendor(v => v.MessageType).ShouldBe(BsdpMessageType.List);

        await client.SendAsync(InformFrom(client, "2b 13 01 01 02 02 02 01 01 03 04 7f 00 00 01 08 04 81 00 03 60"), endpoint, TestContext.Current.CancellationToken);
        var select = new BsdpReply(default, await ReceiveAsync(client));
        select.Vendor(v => v.SelectedBootImage).ShouldBe(0x81000360u);

        await WaitUntilAsync(() => server.GetStatistics().SelectReplies == 1); // counted after the send completes
        var stats = server.GetStatistics();
        (stats.Requests, stats.ListReplies, stats.SelectReplies, stats.Dropped).ShouldBe((2L, 1L, 1L, 0L));
    }

    [Fact]
    public async Task Keeps_serving_after_garbage_and_counts_drops_by_reason()
    {
        await using var server = NewServer();
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ct = TestContext.Current.CancellationToken;

        await client.SendAsync(new byte[] { 1, 2, 3 }, server.LocalEndPoint!, ct);
        await client.SendAsync(Request(BaseOpts + " 2b 07 01 01 01 02 02 01 01", ciaddr: 0), server.LocalEndPoint!, ct);
        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, ct);

        (await ReceiveAsync(client)).Length.ShouldBeGreaterThanOrEqualTo(300);
        await WaitUntilAsync(() => server.GetStatistics().ListReplies == 1);
        var stats = server.GetStatistics();
        stats.DropsFor(BsdpDropReason.Malformed).ShouldBe(1);
        stats.DropsFor(BsdpDropReason.NoCiaddr).ShouldBe(1);
        stats.ListReplies.ShouldBe(1);
    }

    [Fact]
    public async Task Drops_unprivileged_reply_ports_with_default_options()
    {
        await using var server = new BsdpServer(new BsdpServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Responder = new BsdpResponderOptions { ServerAddress = IPAddress.Loopback },
        }, Catalog(NetInstall864));
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, TestContext.Current.CancellationToken);

        await WaitUntilAsync(() => server.GetStatistics().DropsFor(BsdpDropReason.BadReplyPort) == 1);
        server.GetStatistics().Replies.ShouldBe(0);
    }

    [Fact]
    public async Task Serves_a_swapped_catalogue_without_restarting()
    {
        await using var server = NewServer();
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        server.UpdateCatalog(Catalog(Image(1, "Swapped in", isDefault: true))).ShouldBeEmpty();
        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, TestContext.Current.CancellationToken);

        new BsdpReply(default, await ReceiveAsync(client)).Images().Select(i => i.Name).ShouldBe(["Swapped in"]);
    }

    [Fact]
    public async Task Publishes_counters_on_the_core_console_netboot_meter()
    {
        var seen = new List<(string Instrument, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CoreConsole.NetBoot") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            lock (seen) seen.Add((instrument.Name, tags.Length > 0 ? tags[0].Value as string : null));
        });
        listener.Start();

        await using var server = NewServer();
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(new byte[10], server.LocalEndPoint!, TestContext.Current.CancellationToken);
        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, TestContext.Current.CancellationToken);
        await ReceiveAsync(client);
        await WaitUntilAsync(() => { lock (seen) return seen.Count >= 4; });

        lock (seen)
        {
            seen.ShouldContain(("netboot.bsdp.requests", null));
            seen.ShouldContain(("netboot.bsdp.replies", "list"));
            seen.ShouldContain(("netboot.bsdp.drops", "Malformed"));
        }
    }

    [Fact]
    public async Task Frees_the_port_when_disposed()
    {
        IPEndPoint endpoint;
        await using (var server = NewServer())
        {
            await server.StartAsync(TestContext.Current.CancellationToken);
            endpoint = server.LocalEndPoint!;
        }
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(endpoint);
        again.LocalEndPoint.ShouldBe(endpoint);
    }

    [Fact]
    public async Task Replies_from_the_bound_port_to_ciaddr_and_the_reply_port()
    {
        await using var server = NewServer();
        await server.StartAsync(TestContext.Current.CancellationToken);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, TestContext.Current.CancellationToken);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var result = await client.ReceiveAsync(timeout.Token);
        result.RemoteEndPoint.ShouldBe(server.LocalEndPoint);
        BinaryPrimitives.ReadUInt32BigEndian(result.Buffer.AsSpan(12)).ShouldBe(Loopback);
    }

    [Fact]
    public async Task Several_receive_loops_share_the_socket_and_stop_cleanly()
    {
        var server = new BsdpServer(new BsdpServerOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Responder = new BsdpResponderOptions { ServerAddress = IPAddress.Loopback, ReplyPortLimit = 65536 },
            ReceiveLoops = 2,
        }, Catalog(NetInstall864));
        var ct = TestContext.Current.CancellationToken;
        await server.StartAsync(ct);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (int i = 0; i < 20; i++)
        {
            await client.SendAsync(InformFrom(client, "2b 07 01 01 01 02 02 01 01"), server.LocalEndPoint!, ct);
            (await ReceiveAsync(client)).Length.ShouldBeGreaterThanOrEqualTo(300);
        }
        await WaitUntilAsync(() => server.GetStatistics().ListReplies == 20);

        var stopping = server.DisposeAsync().AsTask();
        (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(5), ct))).ShouldBe(stopping); // blocked receives are released
    }

    [Fact]
    public void Needs_at_least_one_receive_loop() => Should.Throw<ArgumentOutOfRangeException>(() => new BsdpServer(new BsdpServerOptions
    {
        Responder = new BsdpResponderOptions { ServerAddress = IPAddress.Loopback },
        ReceiveLoops = 0,
    }));
}

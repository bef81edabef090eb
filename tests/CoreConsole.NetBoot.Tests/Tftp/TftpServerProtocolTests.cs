using System.Diagnostics.Metrics;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.TftpRawClient;

namespace CoreConsole.NetBoot.Tests.Tftp;

/// <summary>The server against a hand-rolled client: every packet of the exchange is checked.</summary>
public class TftpServerProtocolTests
{
    [Fact]
    public async Task A_plain_read_request_gets_512_byte_blocks_from_a_new_port()
    {
        await using var t = await TftpTestServer.StartAsync();
        var content = TftpTestServer.RandomBytes(1300);
        t.AddFile("i386/booter", content);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "i386/booter"));
        var first = (await c.ReceiveAsync()).ShouldNotBeNull();
        Opcode(first).ShouldBe((ushort)3);
        Block(first).ShouldBe((ushort)1);
        first.Length.ShouldBe(516);
        c.Peer!.Port.ShouldNotBe(t.Port);
        (await c.ReceiveFileAsync(first, 512)).ShouldBe(content);
    }

    [Fact]
    public async Task Options_are_acknowledged_with_blksize_capped_by_the_admin_limit()
    {
        await using var t = await TftpTestServer.StartAsync(o => o with { MaxBlockSize = 1024 });
        var content = TftpTestServer.RandomBytes(5000);
        t.AddFile("booter", content);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter", "octet", ("blksize", "1468"), ("tsize", "0"), ("timeout", "3"), ("windowsize", "4")));
        var oack = (await c.ReceiveAsync()).ShouldNotBeNull();
        Opcode(oack).ShouldBe((ushort)6);
        OackOptions(oack).OrderBy(kv => kv.Key).ShouldBe([new("blksize", "1024"), new("timeout", "3"), new("tsize", "5000")]); // windowsize is unknown: ignored
        await c.SendToPeerAsync(Ack(0));
        var first = (await c.ReceiveAsync()).ShouldNotBeNull();
        first.Length.ShouldBe(4 + 1024);
        (await c.ReceiveFileAsync(first, 1024)).ShouldBe(content);
    }

    [Fact]
    public async Task The_default_cap_of_1468_applies_to_a_larger_request_and_options_are_case_insensitive()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", new byte[10]);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter", "OCTET", ("BLKSIZE", "65464")));
        OackOptions((await c.ReceiveAsync())!)["blksize"].ShouldBe("1468");
    }

    [Fact]
    public async Task A_dropped_ack_makes_the_server_retransmit_the_same_block()
    {
        await using var t = await TftpTestServer.StartAsync();
        var content = TftpTestServer.RandomBytes(1000);
        t.AddFile("booter", content);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter"));
        var first = (await c.ReceiveAsync()).ShouldNotBeNull();
        // No ACK: the 500 ms timeout must bring block 1 again, byte for byte.
        var again = (await c.ReceiveAsync(TimeSpan.FromSeconds(3))).ShouldNotBeNull();
        again.ShouldBe(first);
        (await c.ReceiveFileAsync(again, 512)).ShouldBe(content);
    }

    [Fact]
    public async Task An_unanswered_transfer_gives_up_after_the_retry_limit()
    {
        await using var t = await TftpTestServer.StartAsync(o => o with { MaxRetries = 2, DefaultTimeout = TimeSpan.FromMilliseconds(200) });
        t.AddFile("booter", new byte[100]);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter"));
        int copies = 0;
        while (await c.ReceiveAsync(TimeSpan.FromSeconds(1)) is not null) copies++;
        copies.ShouldBe(3); // the original and two retransmissions
        t.Server.ActiveTransfers.ShouldBe(0);
    }

    [Fact]
    public async Task A_write_request_is_refused_with_an_access_violation()
    {
        await using var t = await TftpTestServer.StartAsync();
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(2, "upload.bin"));
        var p = (await c.ReceiveAsync()).ShouldNotBeNull();
        Opcode(p).ShouldBe((ushort)5);
        Error(p).ShouldBe(((ushort)2, "this TFTP server is read-only"));
        File.Exists(Path.Combine(t.Root, "upload.bin")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("missing.bin", 1)]
    [InlineData("../outside/secret", 2)]
    [InlineData("i386/../../outside/secret", 2)]
    [InlineData("..\\outside\\secret", 2)]
    [InlineData("/etc/passwd", 1)]
    [InlineData("i386", 1)]
    public async Task Requests_outside_the_root_or_for_missing_files_get_error_packets(string file, int code)
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("i386/booter", [1]);
        File.WriteAllText(Path.Combine(t.Outside, "secret"), "secret");
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, file));
        var p = (await c.ReceiveAsync()).ShouldNotBeNull();
        Opcode(p).ShouldBe((ushort)5);
        Error(p).Code.ShouldBe((ushort)code);
    }

    [Fact]
    public async Task A_symlink_leading_out_of_the_root_is_refused_but_one_inside_is_followed()
    {
        await using var t = await TftpTestServer.StartAsync();
        File.WriteAllText(Path.Combine(t.Outside, "secret"), "secret");
        t.AddFile("real/booter", [7, 7, 7]);
        try
        {
            File.CreateSymbolicLink(Path.Combine(t.Root, "escape"), Path.Combine(t.Outside, "secret"));
            Directory.CreateSymbolicLink(Path.Combine(t.Root, "outdir"), t.Outside);
            Directory.CreateSymbolicLink(Path.Combine(t.Root, "alias"), "real");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Assert.Skip("cannot create symbolic links here: " + e.Message);
        }

        foreach (var file in new[] { "escape", "outdir/secret" })
        {
            using var c = new TftpRawClient(t.EndPoint);
            await c.SendToServerAsync(Request(1, file));
            Error((await c.ReceiveAsync())!).ShouldBe(((ushort)2, "path leaves the TFTP root"));
        }

        using var ok = new TftpRawClient(t.EndPoint);
        await ok.SendToServerAsync(Request(1, "alias/booter"));
        (await ok.ReceiveFileAsync((await ok.ReceiveAsync())!, 512)).ShouldBe(new byte[] { 7, 7, 7 });
    }

    [Fact]
    public async Task A_file_that_is_an_exact_multiple_of_the_block_size_ends_with_an_empty_block()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", TftpTestServer.RandomBytes(1024));
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter"));
        var p = (await c.ReceiveAsync())!;
        await c.SendToPeerAsync(Ack(1));
        p = (await c.ReceiveAsync())!;
        await c.SendToPeerAsync(Ack(2));
        p = (await c.ReceiveAsync())!;
        Block(p).ShouldBe((ushort)3);
        p.Length.ShouldBe(4);
    }

    [Fact]
    public async Task Block_numbers_roll_over_past_65535_for_big_files()
    {
        await using var t = await TftpTestServer.StartAsync();
        var content = TftpTestServer.RandomBytes((65536 * 8) + 100);
        t.AddFile("big", content);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "big", "octet", ("blksize", "8")));
        OackOptions((await c.ReceiveAsync())!)["blksize"].ShouldBe("8");
        await c.SendToPeerAsync(Ack(0));
        (await c.ReceiveFileAsync((await c.ReceiveAsync())!, 8)).ShouldBe(content);
    }

    [Fact]
    public async Task Netascii_mode_converts_line_endings_and_does_not_offer_tsize()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("text", "a\nb\rc"u8.ToArray());
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "text", "netascii", ("tsize", "0")));
        var first = (await c.ReceiveAsync())!;
        Opcode(first).ShouldBe((ushort)3); // tsize was the only option and is unknown for netascii: no OACK
        (await c.ReceiveFileAsync(first, 512)).ShouldBe("a\r\nb\r\0c"u8.ToArray());
    }

    [Fact]
    public async Task Netascii_can_be_refused_by_configuration_and_unknown_modes_always_are()
    {
        await using var t = await TftpTestServer.StartAsync(o => o with { AllowNetascii = false });
        t.AddFile("text", [1]);
        foreach (var mode in new[] { "netascii", "mail" })
        {
            using var c = new TftpRawClient(t.EndPoint);
            await c.SendToServerAsync(Request(1, "text", mode));
            Error((await c.ReceiveAsync())!).ShouldBe(((ushort)4, $"transfer mode \"{mode}\" is not supported"));
        }
    }

    [Fact]
    public async Task Garbage_packets_get_an_error_and_the_server_keeps_serving()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", [42]);
        using var c = new TftpRawClient(t.EndPoint);
        foreach (var junk in new byte[][] { [], [0], [0, 1, 0x41], [0, 9, 1, 2], [0, 1, 0x41, 0] })
        {
            await c.SendToServerAsync(junk);
        }

        using var ok = new TftpRawClient(t.EndPoint);
        await ok.SendToServerAsync(Request(1, "booter"));
        (await ok.ReceiveFileAsync((await ok.ReceiveAsync())!, 512)).ShouldBe(new byte[] { 42 });
    }

    [Fact]
    public async Task An_error_from_the_client_ends_the_transfer()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", new byte[2000]);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter", "octet", ("blksize", "1024")));
        await c.ReceiveAsync();
        await c.SendToPeerAsync([0, 5, 0, 8, (byte)'n', 0]);
        (await c.ReceiveAsync(TimeSpan.FromSeconds(1.5))).ShouldBeNull();
        t.Server.ActiveTransfers.ShouldBe(0);
    }

    [Fact]
    public async Task Requests_beyond_the_concurrency_limit_are_told_the_server_is_busy()
    {
        await using var t = await TftpTestServer.StartAsync(o => o with { MaxConcurrentTransfers = 1 });
        t.AddFile("booter", new byte[2000]);
        using var first = new TftpRawClient(t.EndPoint);
        await first.SendToServerAsync(Request(1, "booter"));
        (await first.ReceiveAsync()).ShouldNotBeNull(); // first transfer now waits for ACK 1
        using var second = new TftpRawClient(t.EndPoint);
        await second.SendToServerAsync(Request(1, "booter"));
        Error((await second.ReceiveAsync())!).ShouldBe(((ushort)0, "server busy, try again later"));
    }

    [Fact]
    public async Task Transfers_and_errors_are_counted_on_the_netboot_meter()
    {
        await using var t = await TftpTestServer.StartAsync();
        t.AddFile("booter", [1, 2, 3]);
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, t.Server.Meter)) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            string tag = tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : "";
            counts.AddOrUpdate($"{i.Name}|{tag}", v, (_, old) => old + v);
        });
        listener.Start();
        t.Server.Meter.Name.ShouldBe("CoreConsole.NetBoot");

        using (var c = new TftpRawClient(t.EndPoint))
        {
            await c.SendToServerAsync(Request(1, "booter"));
            await c.ReceiveFileAsync((await c.ReceiveAsync())!, 512);
        }

        using (var c = new TftpRawClient(t.EndPoint))
        {
            await c.SendToServerAsync(Request(1, "nope"));
            await c.ReceiveAsync();
        }

        await WaitUntilAsync(() => counts.GetValueOrDefault("coreconsole.netboot.tftp.transfers|outcome=refused") == 1 &&
                                   counts.GetValueOrDefault("coreconsole.netboot.tftp.transfers|outcome=completed") == 1);
        counts["coreconsole.netboot.tftp.errors|reason=not_found"].ShouldBe(1);
        counts["coreconsole.netboot.tftp.bytes_sent|"].ShouldBe(3);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++) await Task.Delay(20, TestContext.Current.CancellationToken);
        condition().ShouldBeTrue();
    }
}

public class TftpServerLifecycleTests
{
    [Fact]
    public async Task Stopping_with_a_transfer_in_flight_ends_promptly_and_releases_the_port()
    {
        await using var t = await TftpTestServer.StartAsync(o => o with { DefaultTimeout = TimeSpan.FromSeconds(30) });
        t.AddFile("booter", new byte[5000]);
        using var c = new TftpRawClient(t.EndPoint);
        await c.SendToServerAsync(Request(1, "booter"));
        (await c.ReceiveAsync()).ShouldNotBeNull();
        t.Server.ActiveTransfers.ShouldBe(1);
        var stop = t.Server.StopAsync(TestContext.Current.CancellationToken);
        (await Task.WhenAny(stop, Task.Delay(5000, TestContext.Current.CancellationToken))).ShouldBe(stop);
        t.Server.LocalEndPoint.ShouldBeNull();
    }

    [Fact]
    public async Task Starting_on_a_root_that_does_not_exist_fails_fast()
    {
        var server = new CoreConsole.NetBoot.Tftp.TftpServer(new CoreConsole.NetBoot.Tftp.TftpServerOptions { RootDirectory = "/nonexistent/tftpboot", Port = 0 });
        await Should.ThrowAsync<DirectoryNotFoundException>(() => server.StartAsync(TestContext.Current.CancellationToken));
        await server.DisposeAsync();
    }
}

using System.Net;
using System.Runtime.InteropServices;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Hosting;

namespace CoreConsole.Benchmarks.Bsdp;

/// <summary>
/// <c>serve-bsdp [--listen 127.0.0.1:16767] [--images 20] [--server-address IP] [--reply-port-limit 1024] [--loops 1]</c>:
/// runs the real <see cref="BsdpServer"/> with the benchmark catalogue until SIGINT/SIGTERM, then prints its counters.
/// <c>write-request list|select --out FILE [--ciaddr 127.0.0.1] [--reply-port 993] [--server-address IP]</c>:
/// writes one request datagram as hex for tools/bsdp_load.
/// <c>list-option43 [--images 20]</c>: prints the option-43 payloads of the ACK[LIST] (hex, one per line) so other
/// servers can be given the same static answer.
/// </summary>
internal static class ServeBsdpCommand
{
    public static async Task<int> ServeAsync(string[] args)
    {
        var listen = IPEndPoint.Parse(Arg(args, "--listen") ?? "127.0.0.1:16767");
        int images = int.Parse(Arg(args, "--images") ?? "20");
        var serverAddress = IPAddress.Parse(Arg(args, "--server-address") ?? listen.Address.ToString());
        int replyPortLimit = int.Parse(Arg(args, "--reply-port-limit") ?? BsdpLimits.PrivilegedPortLimit.ToString());
        int loops = int.Parse(Arg(args, "--loops") ?? "1");

        var options = new BsdpServerOptions
        {
            Endpoint = listen,
            ReceiveLoops = loops,
            Responder = BsdpBenchFixtures.Options(serverAddress, replyPortLimit),
        };
        await using var server = new BsdpServer(options, BsdpBenchFixtures.Catalog(images));
        if (server.Responder.Catalog.Images.Length != images) throw new InvalidOperationException("catalogue images were rejected");

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });

        await server.StartAsync();
        Console.WriteLine($"serve-bsdp: listening on {server.LocalEndPoint}, {images} images, server address {serverAddress}, reply ports < {replyPortLimit}, {loops} receive loop(s)");
        await stopped.Task;
        await server.StopAsync();
        var s = server.GetStatistics();
        var drops = string.Join(",", s.Drops.Select(d => $"{d.Key}={d.Value}"));
        Console.WriteLine($"serve-bsdp: requests={s.Requests} list={s.ListReplies} select={s.SelectReplies} failed={s.FailedReplies} send_errors={s.SendErrors} drops=[{drops}]");
        return 0;
    }

    public static int WriteRequest(string[] args)
    {
        string kind = args.Length > 1 ? args[1] : throw new ArgumentException("write-request list|select --out FILE");
        string output = Arg(args, "--out") ?? throw new ArgumentException("--out FILE");
        var ciaddr = IPAddress.Parse(Arg(args, "--ciaddr") ?? "127.0.0.1");
        ushort replyPort = ushort.Parse(Arg(args, "--reply-port") ?? "993");
        var server = IPAddress.Parse(Arg(args, "--server-address") ?? "127.0.0.1");
        var request = kind switch
        {
            "list" => BsdpBenchFixtures.ListRequest(ciaddr, replyPort),
            "select" => BsdpBenchFixtures.SelectRequest(ciaddr, replyPort, server, BsdpBenchFixtures.ImageId(BsdpBenchFixtures.Catalog(), 1005)),
            _ => throw new ArgumentException($"unknown request kind {kind}"),
        };
        File.WriteAllText(output, Convert.ToHexStringLower(request) + "\n");
        Console.WriteLine($"wrote {request.Length}-byte INFORM[{kind.ToUpperInvariant()}] to {output}");
        return 0;
    }

    public static int ListOption43(string[] args)
    {
        int images = int.Parse(Arg(args, "--images") ?? "20");
        var server = IPAddress.Parse(Arg(args, "--server-address") ?? "127.0.0.1");
        var responder = new BsdpResponder(BsdpBenchFixtures.Options(server), BsdpBenchFixtures.Catalog(images));
        var reply = new byte[BsdpLimits.MaxMessageSize];
        var decision = responder.Handle(BsdpBenchFixtures.ListRequest(IPAddress.Loopback, 993), reply);
        if (decision.Reply != BsdpReplyKind.List) throw new InvalidOperationException($"LIST dropped: {decision.DropReason}");
        Console.Error.WriteLine($"ACK[LIST] {decision.ReplyLength} bytes, {decision.ImagesListed} images listed");
        for (int i = 240; i < decision.ReplyLength && reply[i] != 0xFF;)
        {
            byte code = reply[i];
            if (code == 0) { i++; continue; }
            int length = reply[i + 1];
            if (code == 43) Console.WriteLine(Convert.ToHexStringLower(reply, i + 2, length));
            i += 2 + length;
        }
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

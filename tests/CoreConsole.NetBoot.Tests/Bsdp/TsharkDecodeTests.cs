using System.Diagnostics;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>Wireshark's DHCP/BSDP dissector as an independent decoder of our replies. Skips when tshark is absent.</summary>
public class TsharkDecodeTests
{
    private static string? FindTshark() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "tshark.exe" : "tshark"))
            .FirstOrDefault(File.Exists);

    private static string Run(string tshark, params string[] args)
    {
        var start = new ProcessStartInfo(tshark) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000).ShouldBeTrue("tshark did not finish");
        process.ExitCode.ShouldBe(0, stderr.Result);
        return stdout.Result;
    }

    private static string WriteReplies(params BsdpReply[] replies)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bsdp-{Guid.NewGuid():N}.pcap");
        BsdpPcap.Write(path, replies.Select(r => (ServerIp, (ushort)67, r.Decision.DestinationAddress, r.Decision.DestinationPort, r.Bytes)));
        return path;
    }

    [Fact]
    public void Tshark_decodes_list_select_and_failed_replies_without_errors()
    {
        var tshark = FindTshark();
        Assert.SkipWhen(tshark is null, "tshark is not installed (apt-get install tshark); CI installs it.");

        var images = Enumerable.Range(0, 12).Select(i => Image((ushort)(1000 + i), $"Image {i:D2} Ünïcødé " + new string('x', 20))).ToArray();
        var responder = Responder([NetInstall864, .. images]);
        var list = BsdpReply.Handle(responder, Request(BaseOpts + " " + StartupDiskList));
        var select = BsdpReply.Handle(responder, Request(BaseOpts + " " + Select864));
        var failed = BsdpReply.Handle(responder, Request(BaseOpts + " 2b 13 01 01 02 02 02 01 01 03 04 0a 00 01 07 08 04 81 00 03 61"));
        (list.Decision.Reply, select.Decision.Reply, failed.Decision.Reply).ShouldBe((BsdpReplyKind.List, BsdpReplyKind.Select, BsdpReplyKind.Failed));
        var pcap = WriteReplies(list, select, failed);
        try
        {
            var verbose = Run(tshark!, "-r", pcap, "-V");
            verbose.ShouldNotContain("Malformed");
            verbose.ShouldNotContain("Expert Info (Error");
            verbose.ShouldContain("AAPLBSDPC");

            var fields = Run(tshark!, "-r", pcap, "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                "-e", "dhcp.option.dhcp", "-e", "dhcp.option.dhcp_server_id", "-e", "dhcp.option.vendor.bsdp.message_type",
                "-e", "dhcp.option.vendor.bsdp.server_priority", "-e", "dhcp.option.vendor.bsdp.default_boot_image_id",
                "-e", "dhcp.option.vendor.bsdp.selected_boot_image_id", "-e", "dhcp.option.vendor.bsdp.boot_image.name",
                "-e", "dhcp.file", "-e", "udp.dstport")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).ToArray();

            fields.Length.ShouldBe(3);
            fields[0][0].ShouldBe("5");
            fields[0][1].ShouldBe("10.0.1.7");
            fields[0][2].ShouldBe("1");
            fields[0][3].ShouldBe("32768");
            fields[0][4].ShouldBe("0x81000360");
            fields[0][6].Split(';').ShouldBe(["NetInstall", .. images.Select(i => i.Name)]);
            fields[0][8].ShouldBe("993");
            fields[1][2].ShouldBe("2");
            fields[1][5].ShouldBe("0x81000360");
            fields[1][7].ShouldBe(BootFile864);
            fields[2][2].ShouldBe("3");
        }
        finally
        {
            File.Delete(pcap);
        }
    }
}

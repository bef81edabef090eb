using System.CommandLine;
using System.Net;
using CoreConsole.Agent.NetBoot;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CoreConsole.Agent.Cli;

/// <summary>
/// <c>bsdp serve --nbi-root DIR --server-ip IPv4 …</c>: the standalone NetBoot server. Serves every valid .nbi under DIR
/// through <see cref="NetBootService"/>, the same code an elected representative runs, until Ctrl-C / SIGTERM.
/// </summary>
public static class BsdpServeCommand
{
    public static Command Create()
    {
        var nbiRoot = new Option<DirectoryInfo>("--nbi-root") { Description = "Directory holding the .nbi folders; also the TFTP root", Required = true };
        var serverIp = new Option<string>("--server-ip") { Description = "IPv4 address Macs reach this server on (option 54, siaddr)", Required = true };
        var listen = new Option<string>("--listen") { Description = "BSDP listener ADDR:PORT", DefaultValueFactory = _ => "0.0.0.0:67" };
        var tftpListen = new Option<string?>("--tftp-listen") { Description = "TFTP listener ADDR:PORT (default: the --listen address, port 69)" };
        var priority = new Option<int>("--priority") { Description = "BSDP server priority (option 4) before bindings, 0-65535", DefaultValueFactory = _ => BsdpLimits.DefaultBasePriority };
        var httpBase = new Option<string?>("--http-base") { Description = "Base URL of the .nbi folders over HTTP (default: http://<server-ip>/vboot/NetBoot)" };
        var modelMap = new Option<FileInfo?>("--model-map") { Description = "JSON {\"default\": <Index>, \"models\": {\"MacBookPro14,1\": <Index>}}" };
        var maxBlksize = new Option<int>("--max-blksize") { Description = "Largest TFTP block size granted (8-65464)", DefaultValueFactory = _ => 1468 };
        var verbose = new Option<bool>("--verbose") { Description = "Log every BSDP decision and TFTP transfer to stderr" };

        var command = new Command("serve", "Serve the NBIs in a directory over BSDP and TFTP until Ctrl-C / SIGTERM")
        {
            nbiRoot, serverIp, listen, tftpListen, priority, httpBase, modelMap, maxBlksize, verbose,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = parseResult.GetValue(nbiRoot)!;
            if (!root.Exists) return CommonOptions.Fail($"--nbi-root {root.FullName} does not exist");
            if (!Ipv4EndPoint.TryParseAddress(parseResult.GetValue(serverIp), out var server))
                return CommonOptions.Fail($"--server-ip '{parseResult.GetValue(serverIp)}' is not an IPv4 address");
            if (!Ipv4EndPoint.TryParse(parseResult.GetValue(listen), out var bsdpEndPoint))
                return CommonOptions.Fail($"--listen '{parseResult.GetValue(listen)}' is not IPv4ADDR:PORT");
            var tftpText = parseResult.GetValue(tftpListen);
            IPEndPoint tftpEndPoint = new(bsdpEndPoint.Address, 69);
            if (tftpText is not null && !Ipv4EndPoint.TryParse(tftpText, out tftpEndPoint))
                return CommonOptions.Fail($"--tftp-listen '{tftpText}' is not IPv4ADDR:PORT");
            if (parseResult.GetValue(priority) is var p && p is < 0 or > ushort.MaxValue) return CommonOptions.Fail("--priority must be 0-65535");
            if (parseResult.GetValue(maxBlksize) is var b && b is < 8 or > 65464) return CommonOptions.Fail("--max-blksize must be 8-65464");

            ModelMapping? mapping = null;
            if (parseResult.GetValue(modelMap) is { } mapFile)
            {
                try
                {
                    mapping = ModelMappingJson.Parse(await File.ReadAllBytesAsync(mapFile.FullName, cancellationToken));
                }
                catch (Exception e) when (e is ModelMappingException or IOException or UnauthorizedAccessException)
                {
                    return CommonOptions.Fail($"--model-map {mapFile.FullName}: {e.Message}");
                }
            }

            var publish = new NbiPublishOptions { HttpBase = parseResult.GetValue(httpBase) ?? $"http://{server}/vboot/NetBoot" };
            var catalog = NbiRootCatalog.Load(root.FullName, publish, mapping);
            foreach (var line in catalog.Report()) Console.WriteLine(line);

            using var loggerFactory = LoggerFactory.Create(logging => logging
                .SetMinimumLevel(parseResult.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            await using var service = new NetBootService(new NetBootServeOptions
            {
                ServerAddress = server,
                TftpRoot = root.FullName,
                BsdpListen = bsdpEndPoint,
                TftpListen = tftpEndPoint,
                Priority = (ushort)p,
                MaxBlockSize = b,
            }, loggerFactory);
            try
            {
                foreach (var problem in await service.StartAsync(catalog.Catalog, cancellationToken)) Console.WriteLine($"left out: {problem}");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                return CommonOptions.Fail($"cannot listen: {e.Message} (ports below 1024 need root or CAP_NET_BIND_SERVICE)");
            }
            Console.WriteLine($"BSDP listening on {service.BsdpEndPoint} (server {server}, priority {p})");
            Console.WriteLine($"TFTP listening on {service.TftpEndPoint} (root {root.FullName}, max blksize {b})");

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: System.CommandLine cancels the token; stop below and exit 0.
            }
            await service.StopAsync(CancellationToken.None);
            Console.WriteLine("stopped");
            return 0;
        });
        return command;
    }
}

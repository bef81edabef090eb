using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoreConsole.Agent.NetBoot;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.Agent.Cli;

/// <summary>
/// <c>bsdp probe --server IP …</c>: asks a BSDP server what a Mac of a given model would be offered, as Apple's <c>bsdpc</c>
/// does: INFORM[LIST], then with <c>--select</c> INFORM[SELECT]. Exit codes: 0 answered, 1 usage, 2 no reply, 3 ACK[FAILED].
/// </summary>
public static class BsdpProbeCommand
{
    public const int NoReply = 2;
    public const int Failed = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "IPv4 address of the BSDP server", Required = true };
        var port = new Option<int>("--port") { Description = "Server's BSDP port", DefaultValueFactory = _ => 67 };
        var model = new Option<string>("--model") { Description = "Model identifier the probe claims", DefaultValueFactory = _ => "MacBookPro14,1" };
        var mac = new Option<string>("--mac") { Description = "MAC address the probe claims (the server binds SELECTs by MAC)", DefaultValueFactory = _ => "02:CC:00:00:00:01" };
        var select = new Option<string?>("--select") { Description = "After LIST, SELECT this image: an Index from the list (e.g. 45) or a full id (0x8100002D); 'default' = the offered default" };
        var arch = new Option<string>("--arch") { Description = "Architecture in the vendor class", DefaultValueFactory = _ => "i386" };
        var replyPort = new Option<int>("--reply-port") { Description = "Port to receive on (BSDP option 5). Servers answer only ports < 1024, so this needs root or CAP_NET_BIND_SERVICE", DefaultValueFactory = _ => 68 };
        var bind = new Option<string>("--bind") { Description = "Local IPv4 to receive on; sent as ciaddr, where the server unicasts its reply", DefaultValueFactory = _ => "127.0.0.1" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each reply", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print the decoded replies as JSON" };

        var command = new Command("probe", "Ask a BSDP server what a Mac would be offered (a bsdpc-like diagnostic client)")
        {
            server, port, model, mac, select, arch, replyPort, bind, timeout, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!Ipv4EndPoint.TryParseAddress(parseResult.GetValue(server), out var serverAddress))
                return CommonOptions.Fail($"--server '{parseResult.GetValue(server)}' is not an IPv4 address");
            if (!Ipv4EndPoint.TryParseAddress(parseResult.GetValue(bind), out var bindAddress) || bindAddress.Equals(IPAddress.Any))
                return CommonOptions.Fail($"--bind '{parseResult.GetValue(bind)}' must be a specific IPv4 address (it is the ciaddr replies go to)");
            if (parseResult.GetValue(port) is var serverPort && serverPort is < 1 or > 65535) return CommonOptions.Fail("--port must be 1-65535");
            if (parseResult.GetValue(replyPort) is var reply && reply is < 1 or > 65535) return CommonOptions.Fail("--reply-port must be 1-65535");
            PhysicalAddress macAddress;
            try { macAddress = PhysicalAddress.Parse(parseResult.GetValue(mac)!.Replace(':', '-')); }
            catch (FormatException) { return CommonOptions.Fail($"--mac '{parseResult.GetValue(mac)}' is not a MAC address"); }
            if (macAddress.GetAddressBytes().Length != 6) return CommonOptions.Fail($"--mac '{parseResult.GetValue(mac)}' is not 6 bytes");
            var selectText = parseResult.GetValue(select);
            var asJson = parseResult.GetValue(json);

            var options = new BsdpProbeOptions
            {
                Server = new IPEndPoint(serverAddress, serverPort),
                Bind = bindAddress,
                ReplyPort = (ushort)reply,
                Model = parseResult.GetValue(model)!,
                Architecture = parseResult.GetValue(arch)!,
                Mac = macAddress,
                Timeout = TimeSpan.FromSeconds(Math.Max(0.1, parseResult.GetValue(timeout))),
            };
            BsdpProbe probe;
            try
            {
                probe = new BsdpProbe(options);
            }
            catch (SocketException e)
            {
                return CommonOptions.Fail($"cannot bind {bindAddress}:{reply}: {e.Message}" + (reply < 1024 ? " (a port below 1024 needs root or CAP_NET_BIND_SERVICE, as for a real Mac client)" : ""));
            }

            using (probe)
            {
                var who = $"{options.Architecture}/{options.Model} {FormatMac(macAddress)} at {bindAddress}:{reply}";
                var list = await probe.ListAsync(cancellationToken);
                if (list is null)
                {
                    if (asJson) Console.WriteLine(JsonSerializer.Serialize(new { server = options.Server.ToString(), list = (object?)null, error = "no reply" }, Json));
                    Console.Error.WriteLine($"no reply: {options.Server} did not answer INFORM[LIST] from {who} within {options.Timeout.TotalSeconds:0.#} s");
                    return NoReply;
                }

                ProbeSelectReply? selected = null;
                uint? selectId = null;
                if (selectText is not null)
                {
                    if (!TryResolveSelection(selectText, list, out var id, out var why)) return CommonOptions.Fail(why);
                    selectId = id;
                    selected = await probe.SelectAsync(BinaryServerId(list.ServerIdentifier), id, cancellationToken);
                }

                if (asJson) Console.WriteLine(JsonSerializer.Serialize(new { server = options.Server.ToString(), client = who, list, select = selected }, Json));
                else PrintText(who, list, selectId, selected);

                if (selectText is not null && selected is null)
                {
                    Console.Error.WriteLine($"no reply: {options.Server} did not answer INFORM[SELECT] within {options.Timeout.TotalSeconds:0.#} s");
                    return NoReply;
                }
                return selected?.Outcome == "failed" ? Failed : 0;
            }
        });
        return command;
    }

    private static bool TryResolveSelection(string text, ProbeListReply list, out uint id, out string why)
    {
        id = 0;
        why = "";
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            if (list.DefaultImage is { } d) { id = d; return true; }
            why = "--select default: the server offered no default image";
            return false;
        }
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && uint.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out id)) return true;
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number > ushort.MaxValue) { id = number; return true; }
            // An Index: the id's other bits (install, kind) come from the list, as a Mac picks from what it was shown.
            var image = list.Images.FirstOrDefault(i => i.Index == number);
            if (image is not null) { id = image.Id; return true; }
            why = $"--select {number}: no image with Index {number} in the server's list ({string.Join(", ", list.Images.Select(i => i.Index))})";
            return false;
        }
        why = $"--select '{text}' is not an Index, a 0x-prefixed id or 'default'";
        return false;
    }

    private static uint BinaryServerId(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(address).GetAddressBytes());

    private static void PrintText(string who, ProbeListReply list, uint? selectId, ProbeSelectReply? select)
    {
        Console.WriteLine($"ACK[LIST] from server {list.ServerIdentifier} (priority {list.Priority?.ToString(CultureInfo.InvariantCulture) ?? "none"}) for {who}");
        Console.WriteLine($"  default image: {Id(list.DefaultImage)}{Name(list, list.DefaultImage)}");
        Console.WriteLine($"  selected image (option 8): {(list.SelectedImage is null ? "none (no binding for this MAC)" : Id(list.SelectedImage) + Name(list, list.SelectedImage))}");
        Console.WriteLine($"  images ({list.Images.Count}):");
        foreach (var image in list.Images)
        {
            var flags = (image.IsDefault ? " [default]" : "") + (image.IsSelected ? " [selected]" : "");
            Console.WriteLine($"    {Id(image.Id)}  index {image.Index,-5}  {(image.IsInstall ? "install" : "boot   ")}  {image.KindName,-15}  \"{image.Name}\"{flags}");
        }
        // What the firmware does with this answer (BSDP.md §9): option 8 wins, else the highest-priority server's default.
        var nKey = list.SelectedImage ?? list.DefaultImage;
        var reason = list.SelectedImage is not null ? "this MAC is bound to it (option 8)" : "the server's default for this model (option 7), if no higher-priority server answers";
        Console.WriteLine($"  a Mac holding N would boot {Id(nKey)}{Name(list, nKey)}: {reason}");

        if (select is null) return;
        if (select.Outcome == "failed")
        {
            Console.WriteLine($"ACK[FAILED] for SELECT {Id(selectId)}: the server will not boot this Mac from that image (not offered to it, or its booter is missing)");
            return;
        }
        Console.WriteLine($"ACK[SELECT] for {Id(select.SelectedImage)}{Name(list, select.SelectedImage)}");
        Console.WriteLine($"  boot file: {select.BootFile} (TFTP from siaddr {select.Siaddr})");
        Console.WriteLine($"  root path: {select.RootPath ?? "(none: boot file only)"}");
        Console.WriteLine($"  sname: {(string.IsNullOrEmpty(select.Sname) ? "(empty)" : select.Sname)}  machine name: {select.MachineName ?? "(none)"}");
    }

    private static string Id(uint? id) => id is { } v ? new BsdpBootImageId(v).ToString() : "none";

    private static string Name(ProbeListReply list, uint? id) =>
        list.Images.FirstOrDefault(i => i.Id == id) is { } image ? $" \"{image.Name}\" (index {image.Index})" : "";

    private static string FormatMac(PhysicalAddress mac) => string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}

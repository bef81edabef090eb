using System.CommandLine;
using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Cli;

/// <summary><c>enroll --core URL --token T</c>: obtain an agent id and secret and store them (re-enrolment replaces the secret).</summary>
public static class EnrollCommand
{
    public static Command Create()
    {
        var core = new Option<string>("--core") { Description = "Core URL, e.g. https://core.example.org", Required = true };
        var token = new Option<string>("--token") { Description = "Enrolment token from the console", Required = true };
        var dataDir = CommonOptions.DataDir();
        var model = new Option<string?>("--model") { Description = "Override the model identifier, e.g. MacBookPro14,1" };
        var ip = new Option<string?>("--ip") { Description = "Advertise only this IPv4 with prefix, e.g. 127.0.1.10/24 (the push listener binds it)" };
        var hostName = new Option<string?>("--hostname") { Description = "Override the host name" };
        var serial = new Option<string?>("--serial") { Description = "Override the serial number" };
        var mac = new Option<string?>("--mac") { Description = "Override the primary MAC address" };

        var command = new Command("enroll", "Enrol this agent with the core") { core, token, dataDir, model, ip, hostName, serial, mac };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var ipText = parseResult.GetValue(ip);
            if (ipText is not null && !Ipv4Cidr.TryParse(ipText, out _)) return CommonOptions.Fail($"--ip '{ipText}' is not A.B.C.D/NN");
            var macText = parseResult.GetValue(mac);
            var overrides = new IdentityOverrides
            {
                Model = parseResult.GetValue(model),
                Ipv4 = ipText,
                HostName = parseResult.GetValue(hostName),
                SerialNumber = parseResult.GetValue(serial),
                Mac = macText is null ? null : InventoryCollector.NormaliseMac(macText),
            };
            if (!Uri.TryCreate(parseResult.GetValue(core), UriKind.Absolute, out var coreUrl) || coreUrl.Scheme is not ("http" or "https"))
                return CommonOptions.Fail($"--core '{parseResult.GetValue(core)}' is not an http(s) URL");
            var store = CommonOptions.Store(parseResult, dataDir);
            try
            {
                var state = await EnrollAsync(coreUrl, parseResult.GetValue(token)!, overrides, store, cancellationToken);
                Console.WriteLine($"Enrolled agent {state.AgentId} with {state.CoreUrl}; state saved to {store.FilePath}");
                return 0;
            }
            catch (Exception e) when (e is HttpRequestException or AgentApiException or TaskCanceledException or IOException or UnauthorizedAccessException)
            {
                return CommonOptions.Fail($"enrolment with {coreUrl} failed: {e.Message}");
            }
        });
        return command;
    }

    /// <summary>Enrols and writes a fresh state (nothing of a previous enrolment survives but the directory).</summary>
    public static async Task<AgentState> EnrollAsync(Uri coreUrl, string token, IdentityOverrides overrides, AgentStateStore store, CancellationToken cancellationToken)
    {
        var inventory = new InventoryCollector(overrides, store.Directory);
        using var http = new HttpClient { BaseAddress = coreUrl, Timeout = TimeSpan.FromSeconds(30) };
        var reply = await new AgentCoreClient(http).EnrollAsync(new EnrollRequest
        {
            Token = token,
            HostName = inventory.HostName,
            SerialNumber = inventory.SerialNumber,
            PrimaryMac = inventory.PrimaryMac,
            Model = inventory.Model,
            OsName = InventoryCollector.OsName(),
            OsVersion = Environment.OSVersion.Version.ToString(),
            AgentVersion = InventoryCollector.AgentVersion,
        }, cancellationToken);

        var state = new AgentState
        {
            AgentId = reply.AgentId,
            Secret = reply.Secret,
            CoreUrl = coreUrl.ToString().TrimEnd('/'),
            EnrolledAt = reply.CoreTime,
            Overrides = overrides,
            CheckInIntervalSeconds = reply.CheckInIntervalSeconds,
        };
        store.Replace(state);
        return state;
    }
}

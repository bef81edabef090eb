using System.CommandLine;
using System.Net;
using CoreConsole.Agent.Inventory;
using CoreConsole.Agent.NetBoot;
using CoreConsole.Agent.Representative;
using CoreConsole.Agent.State;

namespace CoreConsole.Agent.Cli;

/// <summary><c>run</c>: the service — check-in loop and push listener until SIGTERM/Ctrl-C.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var pushListen = new Option<string>("--push-listen")
        {
            Description = "Push listener ADDR:PORT (port 0 = any free port), or 'off'. Default: the --ip given at enrolment (else 0.0.0.0), port 0",
            DefaultValueFactory = _ => "auto",
        };
        var bsdpListen = new Option<string>("--bsdp-listen")
        {
            Description = "Where to answer BSDP when elected, ADDR:PORT",
            DefaultValueFactory = _ => "0.0.0.0:67",
        };
        var tftpListen = new Option<string?>("--tftp-listen") { Description = "Where to serve TFTP when elected, ADDR:PORT (default: the --bsdp-listen address, port 69)" };
        var command = new Command("run", "Run the agent (check-ins, policy, push listener; BSDP + TFTP when elected) until stopped")
        {
            dataDir, pushListen, bsdpListen, tftpListen,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = CommonOptions.Store(parseResult, dataDir);
            var state = store.TryLoad();
            if (state is not { IsEnrolled: true }) return CommonOptions.Fail($"not enrolled (no state in {store.Directory}); run 'coreconsole-agent enroll' first");
            if (!TryParseListen(parseResult.GetValue(pushListen)!, state.Overrides, out var bind))
                return CommonOptions.Fail("--push-listen must be ADDR:PORT, 'auto' or 'off'");

            if (!Ipv4EndPoint.TryParse(parseResult.GetValue(bsdpListen), out var bsdp))
                return CommonOptions.Fail($"--bsdp-listen '{parseResult.GetValue(bsdpListen)}' is not IPv4ADDR:PORT");
            var tftpText = parseResult.GetValue(tftpListen);
            IPEndPoint tftp = new(bsdp.Address, 69);
            if (tftpText is not null && !Ipv4EndPoint.TryParse(tftpText, out tftp))
                return CommonOptions.Fail($"--tftp-listen '{tftpText}' is not IPv4ADDR:PORT");

            using var host = AgentHost.Build(store, bind, representative: new RepresentativeOptions { BsdpListen = bsdp, TftpListen = tftp });
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Parses --push-listen; 'auto' binds the enrolment's --ip address (or all addresses) on a free port.</summary>
    public static bool TryParseListen(string value, IdentityOverrides overrides, out IPEndPoint? bind)
    {
        bind = null;
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase)) return true;
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            bind = new IPEndPoint(overrides.Ipv4 is null ? IPAddress.Any : Ipv4Cidr.Parse(overrides.Ipv4).Address, 0);
            return true;
        }
        return IPEndPoint.TryParse(value, out bind);
    }
}

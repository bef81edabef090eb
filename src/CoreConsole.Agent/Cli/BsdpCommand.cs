using System.CommandLine;

namespace CoreConsole.Agent.Cli;

/// <summary><c>bsdp serve</c> (standalone NetBoot server) and <c>bsdp probe</c> (Mac-shaped diagnostic client).</summary>
public static class BsdpCommand
{
    public static Command Create() => new("bsdp", "NetBoot (BSDP + TFTP) server and diagnostic client")
    {
        BsdpServeCommand.Create(),
        BsdpProbeCommand.Create(),
    };
}

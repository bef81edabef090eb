using System.CommandLine;
using CoreConsole.Agent.Cli;

// Each subcommand lives in its own file under Cli/ and is listed in AgentCommands.
var root = new RootCommand("CoreConsole agent: enrols with the core, checks in, applies agent settings and represents its subnet when elected.");
foreach (var command in AgentCommands.All()) root.Subcommands.Add(command);
// On Ctrl-C / SIGTERM the action's token is cancelled and it gets this long to stop cleanly (exit code from the action)
// before System.CommandLine forces exit 130/143. Its 2 s default is shorter than the host's 15 s shutdown timeout and
// too short on a loaded machine for `bsdp serve` to close its listeners.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });

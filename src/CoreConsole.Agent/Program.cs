using System.CommandLine;
using CoreConsole.Agent.Cli;

// Each subcommand lives in its own file under Cli/ and is listed in AgentCommands.
var root = new RootCommand("CoreConsole agent: enrols with the core, checks in, applies agent settings and represents its subnet when elected.");
foreach (var command in AgentCommands.All()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();

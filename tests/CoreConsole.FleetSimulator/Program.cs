using System.CommandLine;
using System.Diagnostics;
using CoreConsole.Contracts.Agents;
using CoreConsole.FleetSimulator;

var core = new Option<string>("--core") { Description = "Core URL", Required = true };
var token = new Option<string>("--token") { Description = "Enrolment token", Required = true };
var count = new Option<int>("--count") { Description = "Number of simulated agents", DefaultValueFactory = _ => 100 };
var subnets = new Option<string>("--subnets") { Description = "Comma-separated CIDRs, agents spread round-robin", DefaultValueFactory = _ => "127.0.1.0/24,127.0.2.0/24" };
var models = new Option<string>("--models") { Description = "Model identifiers, round-robin (identifiers contain commas, so a new one starts at each letter after a comma)", DefaultValueFactory = _ => "MacBookPro14,1,iMac18,3" };
var interval = new Option<double>("--interval") { Description = "Check-in interval in seconds, fractions allowed (the core's nextCheckInSeconds wins unless --ignore-core-interval)", DefaultValueFactory = _ => 30 };
var ignoreCoreInterval = new Option<bool>("--ignore-core-interval") { Description = "Keep --interval even when the core asks for another (load tests)" };
var closedLoop = new Option<int>("--closed-loop") { Description = "Load mode: N workers check in back to back, round-robin over the agents, instead of each agent on its interval" };
var stateFile = new Option<string?>("--state-file") { Description = "Save credentials here after enrolling; reuse them on the next run instead of enrolling again" };
var warmup = new Option<int>("--warmup") { Description = "Seconds after start whose check-ins are left out of the totals", DefaultValueFactory = _ => 0 };
var pushPort = new Option<int>("--push-base-port") { Description = "Port of the shared push listener (0 = no push listener)", DefaultValueFactory = _ => 0 };
var duration = new Option<int>("--duration") { Description = "Seconds to run (0 = until Ctrl-C)", DefaultValueFactory = _ => 0 };

var root = new RootCommand("Runs N simulated CoreConsole agents in one process against a core.") { core, token, count, subnets, models, interval, ignoreCoreInterval, closedLoop, warmup, stateFile, pushPort, duration };
root.SetAction(async (parseResult, cancellationToken) =>
{
    var plan = new SubnetPlan(parseResult.GetValue(subnets)!.Split(',', StringSplitOptions.RemoveEmptyEntries));
    var modelList = ModelList.Parse(parseResult.GetValue(models)!);
    var port = parseResult.GetValue(pushPort);
    var agents = Enumerable.Range(0, parseResult.GetValue(count)).Select(i =>
    {
        var (address, prefix) = plan.AddressFor(i);
        return new SimulatedAgent(i + 1, modelList[i % modelList.Count], new Ipv4Interface(address.ToString(), prefix), port > 0 ? $"http://{address}:{port}" : null);
    }).ToList();

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = new Uri(parseResult.GetValue(core)!), Timeout = TimeSpan.FromSeconds(30),
    };
    var client = new AgentCoreClient(http);

    var savedState = parseResult.GetValue(stateFile);
    if (savedState is not null && File.Exists(savedState))
    {
        var saved = File.ReadAllLines(savedState);
        if (saved.Length < agents.Count) { Console.Error.WriteLine($"error: {savedState} holds {saved.Length} credentials, need {agents.Count}"); return 1; }
        for (var i = 0; i < agents.Count; i++) agents[i].UseCredentials(saved[i]);
        Console.WriteLine($"Reusing {agents.Count} enrolled agents from {savedState}");
    }
    else
    {
    Console.WriteLine($"Enrolling {agents.Count} agents with {http.BaseAddress} …");
    using var gate = new SemaphoreSlim(32);
    try
    {
        await Task.WhenAll(agents.Select(async agent =>
        {
            await gate.WaitAsync(cancellationToken);
            try { await agent.EnrollAsync(client, parseResult.GetValue(token)!, cancellationToken); }
            finally { gate.Release(); }
        }));
    }
    catch (Exception e) when (e is HttpRequestException or AgentApiException)
    {
        Console.Error.WriteLine($"error: enrolment failed: {e.Message}{(e.InnerException is { } inner ? " (" + inner.Message + ")" : "")}");
        return 1;
    }
    if (savedState is not null) File.WriteAllLines(savedState, agents.Select(a => a.SavedCredentials));
    }

    var byId = agents.ToDictionary(a => a.Credentials!.AgentId);
    await using var listener = port > 0 ? await FleetPushListener.StartAsync(port, byId, cancellationToken) : null;

    var seconds = parseResult.GetValue(duration);
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    if (seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
    var stats = new LatencyStats();
    var clock = Stopwatch.StartNew();
    var workers = parseResult.GetValue(closedLoop);
    var loops = workers > 0
        ? SimulatedAgent.RunClosedLoop(agents, workers, client, stats, stop.Token)
        : agents.Select(a => a.RunAsync(client, parseResult.GetValue(interval), parseResult.GetValue(ignoreCoreInterval), stats, stop.Token)).ToList();
    var warmupSeconds = parseResult.GetValue(warmup);
    var measured = Stopwatch.StartNew();
    if (warmupSeconds > 0)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(warmupSeconds), stop.Token); } catch (OperationCanceledException) { }
        stats.Reset();
        measured.Restart();
        Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] warm-up over; measuring");
    }

    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
            Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {stats.TakeWindow(TimeSpan.FromSeconds(10))}; {agents.Count(a => a.HoldsRole)} representative(s)");
    }
    catch (OperationCanceledException) { }
    await Task.WhenAll(loops);
    Console.WriteLine($"Total over {measured.Elapsed.TotalSeconds:F0} s{(warmupSeconds > 0 ? " (after warm-up)" : "")}: {stats.Total(measured.Elapsed)}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

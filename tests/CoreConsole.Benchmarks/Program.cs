using BenchmarkDotNet.Running;
using CoreConsole.Benchmarks.Bsdp;

// Host modes for the UDP load benchmark (run-udp-bench.sh); anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "serve-bsdp" => await ServeBsdpCommand.ServeAsync(args),
    "write-request" => ServeBsdpCommand.WriteRequest(args),
    "list-option43" => ServeBsdpCommand.ListOption43(args),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(BsdpResponderBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

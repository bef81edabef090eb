using System.Collections.Concurrent;
using CoreConsole.Application.Common.Jobs;

namespace CoreConsole.IntegrationTests.Infrastructure;

/// <summary>Succeeds and records which work items it ran.</summary>
public sealed class RecordingWorkHandler(string kind = RecordingWorkHandler.DefaultKind) : IWorkItemHandler
{
    public const string DefaultKind = "test.record";
    public string Kind { get; } = kind;
    public ConcurrentDictionary<Guid, int> Runs { get; } = new();

    public Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct)
    {
        Runs.AddOrUpdate(item.Id, 1, (_, n) => n + 1);
        progress.Report($"ran {item.Payload}");
        return Task.CompletedTask;
    }
}

/// <summary>Fails the first <c>Payload</c> (an integer) runs of each item, then succeeds.</summary>
public sealed class FlakyWorkHandler : IWorkItemHandler
{
    public const string WorkKind = "test.flaky";
    public string Kind => WorkKind;
    public ConcurrentDictionary<Guid, int> Runs { get; } = new();

    public Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct)
    {
        var run = Runs.AddOrUpdate(item.Id, 1, (_, n) => n + 1);
        var failures = int.Parse(item.Payload ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        if (run <= failures) throw new InvalidOperationException($"planned failure {run} of {failures}");
        return Task.CompletedTask;
    }
}

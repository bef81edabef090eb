using System.Diagnostics.Metrics;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Hosting;

/// <summary>Counts of one server since start: cheap to read, for tests and the agent's status page.</summary>
public sealed record BsdpServerStatistics(
    long Requests,
    long ListReplies,
    long SelectReplies,
    long FailedReplies,
    long SendErrors,
    IReadOnlyDictionary<BsdpDropReason, long> Drops)
{
    public long Replies => ListReplies + SelectReplies + FailedReplies;
    public long Dropped => Drops.Values.Sum();
    public long DropsFor(BsdpDropReason reason) => Drops.TryGetValue(reason, out var n) ? n : 0;
}

/// <summary>
/// System.Diagnostics.Metrics instruments (meter <c>CoreConsole.NetBoot</c>) plus interlocked in-process totals.
/// Tag values are cached strings so recording does not allocate.
/// </summary>
internal sealed class BsdpMetrics : IDisposable
{
    public const string MeterName = "CoreConsole.NetBoot";

    private static readonly string[] DropNames = Enum.GetNames<BsdpDropReason>();
    private static readonly string[] ReplyNames = ["none", "list", "select", "failed"];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _drops;
    private readonly Counter<long> _sendErrors;
    private readonly long[] _replyCounts = new long[ReplyNames.Length];
    private readonly long[] _dropCounts = new long[DropNames.Length];
    private long _requestCount;
    private long _sendErrorCount;

    public BsdpMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("netboot.bsdp.requests", "{request}", "BSDP/DHCP packets received on the BSDP port.");
        _replies = _meter.CreateCounter<long>("netboot.bsdp.replies", "{reply}", "BSDP replies sent, by type (list, select, failed).");
        _drops = _meter.CreateCounter<long>("netboot.bsdp.drops", "{request}", "Requests not answered, by reason.");
        _sendErrors = _meter.CreateCounter<long>("netboot.bsdp.send_errors", "{reply}", "Replies the socket failed to send.");
    }

    public void Request()
    {
        Interlocked.Increment(ref _requestCount);
        _requests.Add(1);
    }

    public void Reply(BsdpReplyKind kind)
    {
        Interlocked.Increment(ref _replyCounts[(int)kind]);
        _replies.Add(1, new KeyValuePair<string, object?>("bsdp.reply.type", ReplyNames[(int)kind]));
    }

    public void Drop(BsdpDropReason reason)
    {
        Interlocked.Increment(ref _dropCounts[(int)reason]);
        _drops.Add(1, new KeyValuePair<string, object?>("bsdp.drop.reason", DropNames[(int)reason]));
    }

    public void SendError()
    {
        Interlocked.Increment(ref _sendErrorCount);
        _sendErrors.Add(1);
    }

    public BsdpServerStatistics Snapshot()
    {
        var drops = new Dictionary<BsdpDropReason, long>();
        for (int i = 0; i < _dropCounts.Length; i++)
        {
            long n = Interlocked.Read(ref _dropCounts[i]);
            if (n > 0) drops[(BsdpDropReason)i] = n;
        }
        return new BsdpServerStatistics(Interlocked.Read(ref _requestCount),
            Interlocked.Read(ref _replyCounts[(int)BsdpReplyKind.List]),
            Interlocked.Read(ref _replyCounts[(int)BsdpReplyKind.Select]),
            Interlocked.Read(ref _replyCounts[(int)BsdpReplyKind.Failed]),
            Interlocked.Read(ref _sendErrorCount), drops);
    }

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}

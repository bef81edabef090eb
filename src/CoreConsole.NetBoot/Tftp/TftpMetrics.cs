using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CoreConsole.NetBoot.Tftp;

/// <summary>TFTP instruments on the "CoreConsole.NetBoot" meter.</summary>
internal sealed class TftpMetrics : IDisposable
{
    public const string MeterName = "CoreConsole.NetBoot";
    private readonly bool _ownsMeter;

    public TftpMetrics(IMeterFactory? factory)
    {
        _ownsMeter = factory is null;
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        Transfers = Meter.CreateCounter<long>("coreconsole.netboot.tftp.transfers", "{transfer}", "Read requests handled, by outcome");
        Errors = Meter.CreateCounter<long>("coreconsole.netboot.tftp.errors", "{error}", "Error packets sent and transfers that failed, by reason");
        BytesSent = Meter.CreateCounter<long>("coreconsole.netboot.tftp.bytes_sent", "By", "File bytes delivered in acknowledged DATA packets");
        Active = Meter.CreateUpDownCounter<long>("coreconsole.netboot.tftp.active_transfers", "{transfer}", "Transfers in progress");
    }

    public Meter Meter { get; }
    public Counter<long> Transfers { get; }
    public Counter<long> Errors { get; }
    public Counter<long> BytesSent { get; }
    public UpDownCounter<long> Active { get; }

    public void Transfer(TftpTransferOutcome outcome) =>
        Transfers.Add(1, new TagList { { "outcome", outcome.ToString().ToLowerInvariant() } });

    public void Error(string reason) => Errors.Add(1, new TagList { { "reason", reason } });

    public void Dispose()
    {
        if (_ownsMeter) Meter.Dispose();
    }
}

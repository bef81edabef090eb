using System.Net;
using System.Net.NetworkInformation;

namespace CoreConsole.NetBoot.Bsdp;

/// <summary>A client that completed ACK[SELECT] with us (Apple's <c>/var/db/bsdpd_clients</c> row).</summary>
public sealed record BsdpBinding(PhysicalAddress Mac, uint ImageId, IPAddress ClientAddress, int MachineNumber, DateTimeOffset BoundAt);

/// <summary>MAC → selected image. Drives option 8 in ACK[LIST], the priority, and the machine name number.</summary>
internal sealed class BsdpBindingTable
{
    private readonly record struct Entry(uint ImageId, uint ClientAddress, int MachineNumber, DateTimeOffset BoundAt);

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Entry> _entries = [];
    private int _nextMachineNumber = 1;

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    public bool TryGetImage(ulong mac, out uint imageId)
    {
        lock (_gate)
        {
            bool found = _entries.TryGetValue(mac, out var e);
            imageId = e.ImageId;
            return found;
        }
    }

    /// <summary>Records the selection; a MAC keeps its machine number across re-selections.</summary>
    public int Bind(ulong mac, uint imageId, uint clientAddress, DateTimeOffset now)
    {
        lock (_gate)
        {
            int number = _entries.TryGetValue(mac, out var old) ? old.MachineNumber : _nextMachineNumber++;
            _entries[mac] = new Entry(imageId, clientAddress, number, now);
            return number;
        }
    }

    public bool Remove(ulong mac)
    {
        lock (_gate) return _entries.Remove(mac);
    }

    private static byte[] BigEndian(ulong value, int size)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes[(8 - size)..];
    }

    public IReadOnlyList<BsdpBinding> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries.Select(kv => new BsdpBinding(
                new PhysicalAddress(BigEndian(kv.Key, 8)[2..]), kv.Value.ImageId,
                new IPAddress(BigEndian(kv.Value.ClientAddress, 4)), kv.Value.MachineNumber, kv.Value.BoundAt))];
        }
    }
}

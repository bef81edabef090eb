using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.Inventory;

/// <summary>Builds the inventory part of a check-in from the machine, with the enrolment overrides taking precedence.</summary>
public sealed class InventoryCollector(IdentityOverrides overrides, string dataDirectory)
{
    public static string AgentVersion { get; } =
        typeof(InventoryCollector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    // Hardware facts do not change while the agent runs; read them once.
    private readonly Lazy<string> _model = new(() => overrides.Model ?? PlatformFacts.ReadModel() ?? "Unknown");
    private readonly Lazy<string?> _serial = new(() => overrides.SerialNumber ?? PlatformFacts.ReadSerialNumber());
    private readonly Lazy<bool> _isServer = new(PlatformFacts.IsServerOs);

    public string HostName => overrides.HostName ?? Environment.MachineName;
    public string Model => _model.Value;
    public string? SerialNumber => _serial.Value;

    public CheckInRequest Collect(string? pushUrl, AgentState state, RepresentativeStatus? representative)
    {
        var interfaces = ReadInterfaces();
        var freeDisk = FreeDiskBytes();
        return new CheckInRequest
        {
            HostName = HostName,
            OsName = OsName(),
            OsVersion = Environment.OSVersion.Version.ToString(),
            Model = Model,
            SerialNumber = SerialNumber,
            MacAddresses = MacAddresses(interfaces),
            Ipv4 = AdvertisedIpv4(interfaces),
            UptimeSeconds = Environment.TickCount64 / 1000,
            FreeDiskBytes = freeDisk,
            AgentVersion = AgentVersion,
            InstalledSettingRevisionId = state.InstalledRevisionId,
            InstalledSettingRevisionNumber = state.InstalledRevisionNumber,
            InstalledSettings = state.InstalledSettings,
            PushUrl = pushUrl,
            Representative = representative,
            Capabilities = new CapabilityFacts
            {
                FreeDiskBytes = freeDisk,
                Cores = Environment.ProcessorCount,
                MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
                IsServerOs = _isServer.Value,
                WiredLink = interfaces.Any(i => i.OperationalStatus == OperationalStatus.Up
                    && i.NetworkInterfaceType is NetworkInterfaceType.Ethernet or NetworkInterfaceType.GigabitEthernet or NetworkInterfaceType.FastEthernetT),
            },
            SentAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The enrolment override if any, else every IPv4 on an up, non-loopback interface.</summary>
    public IReadOnlyList<Ipv4Interface> AdvertisedIpv4() => AdvertisedIpv4(ReadInterfaces());

    private IReadOnlyList<Ipv4Interface> AdvertisedIpv4(NetworkInterface[] interfaces)
    {
        if (overrides.Ipv4 is not null)
        {
            var cidr = Ipv4Cidr.Parse(overrides.Ipv4);
            return [new Ipv4Interface(cidr.Address.ToString(), cidr.PrefixLength)];
        }
        return interfaces
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => new Ipv4Interface(a.Address.ToString(), a.PrefixLength))
            .ToList();
    }

    private IReadOnlyList<string> MacAddresses(NetworkInterface[] interfaces)
    {
        var macs = interfaces
            .Where(i => i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(i => FormatMac(i.GetPhysicalAddress()))
            .Where(m => m is not null && m != "00:00:00:00:00:00")
            .Cast<string>()
            .Distinct();
        return overrides.Mac is null ? macs.ToList() : [NormaliseMac(overrides.Mac), .. macs];
    }

    public string? PrimaryMac => MacAddresses(ReadInterfaces()).FirstOrDefault();

    public static string NormaliseMac(string mac) =>
        FormatMac(PhysicalAddress.Parse(mac.Replace(':', '-').ToUpperInvariant())) ?? mac.ToUpperInvariant();

    private static string? FormatMac(PhysicalAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 6 ? string.Join(':', bytes.Select(b => b.ToString("X2"))) : null;
    }

    public static string OsName() =>
        OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsLinux() ? "Linux" : RuntimeInformation.OSDescription;

    private long FreeDiskBytes()
    {
        try
        {
            var root = Path.GetPathRoot(Directory.Exists(dataDirectory) ? dataDirectory : AppContext.BaseDirectory) ?? "/";
            return new DriveInfo(root).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    private static NetworkInterface[] ReadInterfaces()
    {
        try { return NetworkInterface.GetAllNetworkInterfaces(); }
        catch (NetworkInformationException) { return []; }
    }
}

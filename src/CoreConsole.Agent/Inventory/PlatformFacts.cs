using System.Diagnostics;

namespace CoreConsole.Agent.Inventory;

/// <summary>Model identifier and serial number from the platform's own sources; null when unavailable (never throws).</summary>
public static class PlatformFacts
{
    public static string? ReadModel()
    {
        if (OperatingSystem.IsMacOS()) return Run("sysctl", "-n hw.model");
        if (OperatingSystem.IsLinux())
        {
            var name = ReadSysFile("/sys/class/dmi/id/product_name");
            var version = ReadSysFile("/sys/class/dmi/id/product_version");
            // Apple hardware running Linux reports e.g. "MacBookPro14,1" as product_name and "1.0" as version.
            return (name, version) switch
            {
                (null, _) => null,
                (_, null or "" or "None" or "Not Specified" or "1.0") => name,
                _ => $"{name} {version}",
            };
        }
        if (OperatingSystem.IsWindows())
            return Run("powershell", "-NoProfile -Command \"(Get-CimInstance Win32_ComputerSystem).Model\"")
                ?? Run("wmic", "computersystem get model /value")?.Split('=').LastOrDefault()?.Trim();
        return null;
    }

    public static string? ReadSerialNumber()
    {
        if (OperatingSystem.IsLinux()) return ReadSysFile("/sys/class/dmi/id/product_serial"); // root-only on most distributions
        if (OperatingSystem.IsMacOS())
        {
            var output = Run("ioreg", "-c IOPlatformExpertDevice -d 2");
            var line = output?.Split('\n').FirstOrDefault(l => l.Contains("\"IOPlatformSerialNumber\"", StringComparison.Ordinal));
            return line?.Split('=').LastOrDefault()?.Trim().Trim('"');
        }
        if (OperatingSystem.IsWindows())
            return Run("powershell", "-NoProfile -Command \"(Get-CimInstance Win32_BIOS).SerialNumber\"");
        return null;
    }

    public static bool IsServerOs()
    {
        if (OperatingSystem.IsWindows())
            return Microsoft.Win32.Registry.GetValue(@"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion", "InstallationType", null) as string == "Server";
        if (OperatingSystem.IsMacOS()) return File.Exists("/System/Library/CoreServices/ServerVersion.plist");
        // Heuristic: a Linux box without desktop sessions is a server.
        return !Directory.Exists("/usr/share/xsessions") && !Directory.Exists("/usr/share/wayland-sessions");
    }

    private static string? ReadSysFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Run(string fileName, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000)) { process.Kill(); return null; }
            var text = output.Trim();
            return process.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}

namespace CoreConsole.Agent.State;

/// <summary>Where the agent keeps its state: --data-dir, else $COREC_AGENT_DATA, else the platform's service data location.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "COREC_AGENT_DATA";

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return Path.GetFullPath(option);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return PlatformDefault();
    }

    public static string PlatformDefault()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "CoreConsole");
        if (OperatingSystem.IsMacOS())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Application Support", "CoreConsole");
        return "/var/lib/coreconsole-agent";
    }
}

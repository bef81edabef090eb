namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>Finds tests/fixtures from the test binary's folder, so fixtures stay where PROVENANCE.md lists them.</summary>
internal static class BsdpFixtures
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Fixture {relative} not found above {AppContext.BaseDirectory}.");
    }

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));
}

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>Locates the repository's fixtures and creates throw-away directories for NBI/TFTP tests.</summary>
internal static class NbiTestPaths
{
    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoreConsole.sln")) || Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures", "nbi")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    });

    public static string Fixtures => Path.Combine(RepoRoot.Value, "tests", "fixtures");

    public static string NbiFixtures => Path.Combine(Fixtures, "nbi");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    public static IEnumerable<string> NbiFixtureFolders() =>
        Directory.EnumerateDirectories(NbiFixtures, "*.nbi").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}

/// <summary>A temp directory deleted on dispose.</summary>
internal sealed class NbiTempDir : IDisposable
{
    public NbiTempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cc-nbi-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string WriteFile(string relative, byte[] content)
    {
        string full = Combine(relative.Split('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string WriteFile(string relative, string content) => WriteFile(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp dir must not fail a test.
        }
    }
}

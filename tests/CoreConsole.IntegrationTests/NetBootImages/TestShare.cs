using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>
/// A share built from the real NBImageInfo.plist fixtures (tests/fixtures/nbi), with small generated booters, kernel caches
/// and root DMGs beside every plist that names them. The disabled AutoCasper seeds (same Index, so duplicate ids) and the
/// DeployStudio templates without Index/Name stay as they are: they are the error paths.
/// </summary>
public static class TestShare
{
    public const string DeployStudio = "DeployStudio-10.8.nbi";
    public const string NetRestore = "NetRestore-10.5.8.nbi";

    public static string FixturesDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures");
                if (Directory.Exists(Path.Combine(candidate, "nbi"))) return candidate;
            }

            throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Copies every fixture .nbi into <paramref name="root"/> and generates the files each valid plist points at.</summary>
    public static void Build(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var source in Directory.EnumerateDirectories(Path.Combine(FixturesDirectory, "nbi"), "*.nbi"))
        {
            var target = Path.Combine(root, Path.GetFileName(source));
            Directory.CreateDirectory(target);
            var plist = File.ReadAllBytes(Path.Combine(source, NbiScanner.PlistName));
            File.WriteAllBytes(Path.Combine(target, NbiScanner.PlistName), plist);
            if (NbiImageInfoParser.Parse(plist).Info is not { } info) continue;
            foreach (var arch in info.Architectures)
            {
                Write(Path.Combine(target, arch, info.BootFile), 4096 + info.Index, seed: info.Index);
                Write(Path.Combine(target, arch, "x86_64", "kernelcache"), 8192, seed: info.Index + 1);
            }

            if (info.RootPath is { } rootPath && !NbiPaths.IsIndirect(rootPath))
                Write(Path.Combine(target, rootPath), 64 * 1024, seed: info.Index + 2);
        }
    }

    /// <summary>Deterministic bytes, so a test can compare what it downloaded with what is on disk.</summary>
    public static void Write(string path, int length, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }
}

using CoreConsole.NetBoot.Tests.TestSupport;
using CoreConsole.NetBoot.Tftp;

namespace CoreConsole.NetBoot.Tests.Tftp;

public class TftpPathResolverTests
{
    private static (NbiTempDir Dir, TftpPathResolver Resolver) Setup()
    {
        var dir = new NbiTempDir();
        dir.WriteFile("root/NetBoot/Install.nbi/i386/booter", [1]);
        dir.WriteFile("outside/secret", [2]);
        return (dir, new TftpPathResolver(dir.Combine("root")));
    }

    private static void SkipWithoutSymlinks(Action create)
    {
        try
        {
            create();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Assert.Skip("cannot create symbolic links here: " + e.Message);
        }
    }

    [Theory]
    [InlineData("NetBoot/Install.nbi/i386/booter")]
    [InlineData("/NetBoot/Install.nbi/i386/booter")]
    [InlineData("NetBoot//Install.nbi/./i386/booter")]
    public void Relative_and_root_absolute_names_resolve_to_the_file(string name)
    {
        var (dir, resolver) = Setup();
        using var _ = dir;
        resolver.Resolve(name).FullPath.ShouldBe(Path.Combine(resolver.RealRoot, "NetBoot", "Install.nbi", "i386", "booter"));
    }

    [Fact]
    public void An_absolute_path_that_spells_out_the_root_is_accepted()
    {
        var (dir, resolver) = Setup();
        using var _ = dir;
        string full = dir.Combine("root", "NetBoot", "Install.nbi", "i386", "booter").Replace('\\', '/');
        resolver.Resolve(full).FullPath.ShouldNotBeNull();
    }

    [Fact]
    public void A_symlink_loop_is_refused_rather_than_followed_forever()
    {
        var (dir, resolver) = Setup();
        using var _ = dir;
        SkipWithoutSymlinks(() =>
        {
            File.CreateSymbolicLink(dir.Combine("root", "a"), dir.Combine("root", "b"));
            File.CreateSymbolicLink(dir.Combine("root", "b"), dir.Combine("root", "a"));
        });
        resolver.Resolve("a").Error.ShouldBe(TftpErrorCode.AccessViolation);
    }

    [Fact]
    public void A_relative_symlink_climbing_out_through_a_directory_link_is_refused()
    {
        var (dir, resolver) = Setup();
        using var _ = dir;
        SkipWithoutSymlinks(() => Directory.CreateSymbolicLink(dir.Combine("root", "NetBoot", "up"), "../../outside"));
        resolver.Resolve("NetBoot/up/secret").ShouldBe(new TftpResolution(null, TftpErrorCode.AccessViolation, "path leaves the TFTP root"));
    }

    [Fact]
    public void A_root_that_is_itself_a_symlink_still_serves_its_files()
    {
        using var dir = new NbiTempDir();
        dir.WriteFile("real/booter", [1]);
        SkipWithoutSymlinks(() => Directory.CreateSymbolicLink(dir.Combine("link"), dir.Combine("real")));
        var resolver = new TftpPathResolver(dir.Combine("link"));
        resolver.Resolve("booter").FullPath.ShouldBe(Path.Combine(dir.Combine("real"), "booter"));
        resolver.Resolve(dir.Combine("link", "booter")).FullPath.ShouldNotBeNull();
    }
}

using CoreConsole.NetBoot.Nbi;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.NbiShareBuilder;

namespace CoreConsole.NetBoot.Tests.Nbi;

public class NbiScannerTests
{
    [Fact]
    public void A_complete_nbi_folder_is_valid()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(864, "NetInstall"));
        var r = NbiScanner.Scan(share.Path).ShouldHaveSingleItem();
        r.FolderName.ShouldBe("Install.nbi");
        r.IsValid.ShouldBeTrue();
        r.Image!.Name.ShouldBe("NetInstall");
    }

    [Fact]
    public async Task A_binary_plist_at_the_folder_root_is_sniffed_and_scanned_like_xml()
    {
        using var share = new NbiTempDir();
        string folder = share.AddNbi("Install.nbi", NbiPlist(864, "NetInstall"));
        string plist = Path.Combine(folder, "NBImageInfo.plist");
        var binary = await NbiProcess.ToBinaryPlistAsync(plist, plist + ".bin");
        Assert.SkipWhen(binary is null, NbiProcess.NoPython);
        File.Move(plist + ".bin", plist, overwrite: true);
        var r = NbiScanner.Scan(share.Path).ShouldHaveSingleItem();
        r.IsValid.ShouldBeTrue();
        r.Image!.BootImageId.ShouldBe(0x8100_0360u);
    }

    [Fact]
    public void Folders_without_the_nbi_suffix_are_not_scanned_and_results_come_in_name_order()
    {
        using var share = new NbiTempDir();
        share.AddNbi("b.nbi", NbiPlist(2, "B"));
        share.AddNbi("a.nbi", NbiPlist(1, "A"));
        share.WriteFile("other/NBImageInfo.plist", NbiPlist(3, "C"));
        NbiScanner.Scan(share.Path).Select(r => r.FolderName).ShouldBe(["a.nbi", "b.nbi"]);
    }

    [Fact]
    public void A_plist_nested_below_the_nbi_root_is_reported_with_where_it_is()
    {
        using var share = new NbiTempDir();
        share.WriteFile("Install.nbi/Install.nbi/NBImageInfo.plist", NbiPlist(1, "A"));
        var e = NbiScanner.Scan(share.Path).ShouldHaveSingleItem().Errors.ShouldHaveSingleItem();
        e.Kind.ShouldBe(NbiErrorKind.PlistNotAtRoot);
        e.Message.ShouldContain(Path.Combine("Install.nbi", "NBImageInfo.plist"));
    }

    [Fact]
    public void A_folder_without_any_plist_is_reported_as_missing_it()
    {
        using var share = new NbiTempDir();
        Directory.CreateDirectory(share.Combine("Empty.nbi"));
        NbiScanner.Scan(share.Path).ShouldHaveSingleItem().Errors.ShouldHaveSingleItem().Kind.ShouldBe(NbiErrorKind.PlistMissing);
    }

    [Fact]
    public void A_missing_booter_is_named_with_its_architecture_folder()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(1, "A", archs: "<string>ppc</string><string>i386</string>"), archs: ["i386"]);
        var r = NbiScanner.Scan(share.Path).ShouldHaveSingleItem();
        r.IsValid.ShouldBeFalse();
        r.Image.ShouldNotBeNull();
        r.Errors.ShouldHaveSingleItem().ShouldBe(new NbiError(NbiErrorKind.BootFileMissing, "boot file ppc/booter does not exist in Install.nbi", "BootFile"));
    }

    [Fact]
    public void The_architecture_defaults_to_ppc_so_an_i386_only_folder_without_the_key_misses_its_booter()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(1, "A", archs: "").Replace("<key>Architectures</key><array></array>", ""));
        NbiScanner.Scan(share.Path).Single().Errors.ShouldHaveSingleItem().Message.ShouldContain("ppc/booter");
    }

    [Fact]
    public void A_missing_dmg_is_reported()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(1, "A"), dmg: null);
        NbiScanner.Scan(share.Path).Single().Errors.ShouldHaveSingleItem().Kind.ShouldBe(NbiErrorKind.RootPathFileMissing);
    }

    [Fact]
    public void A_boot_file_path_of_128_bytes_or_more_is_rejected()
    {
        using var share = new NbiTempDir();
        string folder = new string('n', 120) + ".nbi"; // field case 20: a 120-character NBI directory name
        share.AddNbi(folder, NbiPlist(1, "A"));
        var e = NbiScanner.Scan(share.Path).Single().Errors.ShouldHaveSingleItem();
        e.Kind.ShouldBe(NbiErrorKind.BootFilePathTooLong);
        e.Message.ShouldContain("is 136 bytes");
    }

    [Fact]
    public void The_tftp_prefix_counts_towards_the_boot_file_path_length()
    {
        using var share = new NbiTempDir();
        string folder = new string('n', 100) + ".nbi"; // 100+4+1+4+1+6 = 116 bytes: fits alone, not with the prefix
        share.AddNbi(folder, NbiPlist(1, "A"));
        NbiScanner.Scan(share.Path).Single().IsValid.ShouldBeTrue();
        NbiScanner.Scan(share.Path, new NbiPublishOptions { TftpPrefix = "NetBoot/NetBootSP0" }).Single().Errors
            .ShouldHaveSingleItem().Kind.ShouldBe(NbiErrorKind.BootFilePathTooLong);
    }

    [Fact]
    public void A_root_path_url_over_255_bytes_is_rejected_when_the_http_base_is_known()
    {
        using var share = new NbiTempDir();
        string dmg = new string('d', 220) + ".dmg"; // 29 + 13 + 224 = 266 bytes with the base
        share.AddNbi("Install.nbi", NbiPlist(1, "A", rootPath: dmg), dmg: dmg);
        NbiScanner.Scan(share.Path).Single().IsValid.ShouldBeTrue();
        NbiScanner.Scan(share.Path, new NbiPublishOptions { HttpBase = "http://10.0.0.5/vboot/NetBoot" }).Single().Errors
            .ShouldHaveSingleItem().Kind.ShouldBe(NbiErrorKind.RootPathTooLong);
    }

    [Fact]
    public void A_later_image_with_the_same_32_bit_id_is_rejected_and_names_the_first()
    {
        using var share = new NbiTempDir();
        share.AddNbi("a.nbi", NbiPlist(42000, "A"));
        share.AddNbi("b.nbi", NbiPlist(42000, "B"));
        var results = NbiScanner.Scan(share.Path);
        results[0].IsValid.ShouldBeTrue();
        var e = results[1].Errors.ShouldHaveSingleItem();
        e.Kind.ShouldBe(NbiErrorKind.DuplicateBootImageId);
        e.Message.ShouldBe("boot image id 0x8100a410 (Index 42000) is already used by a.nbi");
    }

    [Fact]
    public void The_same_index_with_a_different_kind_or_install_bit_is_not_a_duplicate()
    {
        using var share = new NbiTempDir();
        share.AddNbi("a.nbi", NbiPlist(1082, "A"));
        share.AddNbi("b.nbi", NbiPlist(1082, "B").Replace("<integer>1</integer>", "<integer>2</integer>"));
        share.AddNbi("c.nbi", NbiPlist(1082, "C").Replace("<key>IsInstall</key><true/>", ""));
        NbiScanner.Scan(share.Path).ShouldAllBe(r => r.IsValid);
    }

    [Fact]
    public void Scanning_the_fixture_share_reports_each_folder_precisely()
    {
        var results = NbiScanner.Scan(NbiTestPaths.NbiFixtures);
        results.Length.ShouldBe(7);
        results.ShouldAllBe(r => !r.IsValid);
        // The fixtures are bare plists: the valid ones only miss their booters and DMGs.
        var netRestore = results.Single(r => r.FolderName == "NetRestore-10.5.8.nbi");
        netRestore.Errors.Select(e => e.Kind).ShouldBe([NbiErrorKind.BootFileMissing, NbiErrorKind.BootFileMissing, NbiErrorKind.RootPathFileMissing]);
        results.Single(r => r.FolderName == "DeployStudio-sysBuilder-10.6-template.nbi").Errors.ShouldAllBe(e => e.Kind == NbiErrorKind.MissingKey);
    }
}

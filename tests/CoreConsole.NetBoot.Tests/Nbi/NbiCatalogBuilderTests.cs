using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.NbiShareBuilder;

namespace CoreConsole.NetBoot.Tests.Nbi;

public class NbiCatalogBuilderTests
{
    private static readonly NbiPublishOptions Options = new() { TftpPrefix = "NetBoot/NetBootSP0", HttpBase = "http://10.0.0.5/vboot/NetBoot" };

    [Fact]
    public void An_http_image_gets_its_tftp_booter_path_and_escaped_http_root_path()
    {
        using var share = new NbiTempDir();
        share.AddNbi("El Capitan #1.nbi", NbiPlist(864, "NetInstall", rootPath: "Net Install.dmg", archs: "<string>i386</string><string>ppc</string>"), ["i386", "ppc"], dmg: "Net Install.dmg");
        var result = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path, Options), Options);
        result.Problems.ShouldBeEmpty();
        var image = result.Catalog.Images.ShouldHaveSingleItem();
        image.BootImageId.ShouldBe(0x8100_0360u);
        image.Type.ShouldBe(BootImageType.HTTP);
        image.BootFilePaths["i386"].ShouldBe("NetBoot/NetBootSP0/El Capitan #1.nbi/i386/booter");
        image.BootFilePaths["ppc"].ShouldBe("NetBoot/NetBootSP0/El Capitan #1.nbi/ppc/booter");
        image.RootPath.ShouldBe("http://10.0.0.5/vboot/NetBoot/El%20Capitan%20%231.nbi/Net%20Install.dmg");
    }

    [Fact]
    public void An_nfs_image_with_a_local_dmg_is_served_over_http()
    {
        using var share = new NbiTempDir();
        share.AddNbi("DS.nbi", NbiPlist(1082, "DS", type: "NFS"));
        var image = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), Options).Catalog.Images.Single();
        image.Type.ShouldBe(BootImageType.HTTP);
        image.RootPath.ShouldBe("http://10.0.0.5/vboot/NetBoot/DS.nbi/NetInstall.dmg");
    }

    [Fact]
    public void An_indirect_root_path_is_passed_through()
    {
        using var share = new NbiTempDir();
        const string url = "nfs:10.0.1.7:/Library/NetBoot/NetBootSP0:Install.nbi/NetInstall.dmg";
        share.AddNbi("Install.nbi", NbiPlist(1, "A", type: "NFS", rootPath: url), dmg: null);
        var image = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), new NbiPublishOptions()).Catalog.Images.Single();
        image.RootPath.ShouldBe(url);
        image.Type.ShouldBe(BootImageType.NFS);
    }

    [Fact]
    public void A_bootfileonly_image_has_no_root_path()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Diag.nbi", NbiPlist(7, "Diag", type: "BootFileOnly"), dmg: null);
        NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), Options).Catalog.Images.Single().RootPath.ShouldBeNull();
    }

    [Fact]
    public void An_http_base_with_a_host_name_is_refused_as_the_firmware_does_no_dns()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(1, "A"));
        var result = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), new NbiPublishOptions { HttpBase = "http://netboot01/nbi" });
        result.Catalog.Images.ShouldBeEmpty();
        result.Problems[0].ShouldBe(new NbiBuildProblem(null, new NbiError(NbiErrorKind.RootPathUnusable,
            "HttpBase: host \"netboot01\" is not an IPv4 literal; EFI NetBoot does no DNS lookup")));
        result.Problems[1].FolderName.ShouldBe("Install.nbi");
    }

    [Fact]
    public void A_local_dmg_without_an_http_base_cannot_be_published()
    {
        using var share = new NbiTempDir();
        share.AddNbi("Install.nbi", NbiPlist(1, "A"));
        var p = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), new NbiPublishOptions()).Problems.ShouldHaveSingleItem();
        p.Error.Message.ShouldContain("no HttpBase is configured");
    }

    [Fact]
    public void Disabled_and_invalid_images_are_left_out_and_order_is_kept()
    {
        using var share = new NbiTempDir();
        share.AddNbi("c.nbi", NbiPlist(3, "C"));
        share.AddNbi("a.nbi", NbiPlist(1, "A"));
        share.AddNbi("b.nbi", NbiPlist(2, "B", extra: "<key>IsEnabled</key><false/>"));
        share.AddNbi("d.nbi", NbiPlist(4, "D"), archs: []);
        var result = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), Options);
        result.Catalog.Images.Select(i => i.Name).ShouldBe(["A", "C"]);
        result.Problems.ShouldHaveSingleItem().FolderName.ShouldBe("d.nbi");
    }

    [Fact]
    public void A_model_mapping_is_attached_and_unknown_indexes_are_reported()
    {
        using var share = new NbiTempDir();
        share.AddNbi("a.nbi", NbiPlist(1, "A"));
        var mapping = ModelMappingJson.Parse("""{"default": 1, "models": {"MacBookPro14,1": 1, "MacPro1,1,Quad": 9}}""");
        var result = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), Options, mapping);
        result.Catalog.Mapping.ShouldBeSameAs(mapping);
        result.Problems.ShouldHaveSingleItem().Error.Message.ShouldBe("model mapping for MacPro1,1,Quad names Index 9, which matches no enabled image");
    }

    [Fact]
    public void Model_filters_and_mac_lists_reach_the_boot_image()
    {
        using var share = new NbiTempDir();
        share.AddNbi("a.nbi", NbiPlist(1, "A", extra: "<key>EnabledSystemIdentifiers</key><array><string>MacPro1,1,Quad</string></array>" +
                                                     "<key>DisabledMACAddresses</key><array><string>80:e6:50:09:ed:a2</string></array><key>IsDefault</key><true/>"));
        var image = NbiCatalogBuilder.Build(NbiScanner.Scan(share.Path), Options).Catalog.Images.Single();
        image.EnabledSystemIdentifiers.ShouldBe(["MacPro1,1,Quad"]);
        image.DisabledMacAddresses.Single().ToString().ShouldBe("80E65009EDA2");
        image.IsDefault.ShouldBeTrue();
        image.Architectures.ShouldBe(["i386"]);
    }
}

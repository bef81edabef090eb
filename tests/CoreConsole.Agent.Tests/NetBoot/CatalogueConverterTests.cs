using CoreConsole.Agent.NetBoot;
using CoreConsole.Contracts.Agents;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.Agent.Tests.NetBoot;

public sealed class CatalogueConverterTests
{
    private static CatalogueImage Image(int index, string type = "HTTP", string[]? macs = null, string[]? archs = null) => new()
    {
        Index = index, Name = $"Image {index}", IsInstall = true, Kind = 1, Type = type, Architectures = archs ?? ["i386"],
        EnabledMacAddresses = macs ?? [],
        BootFilePaths = new Dictionary<string, string> { ["i386"] = $"I{index}.nbi/i386/booter" },
        RootPath = $"http://10.0.1.7/vboot/NetBoot/I{index}.nbi/NetInstall.dmg",
    };

    [Fact]
    public void Images_mapping_and_mac_lists_carry_over_and_broken_images_are_left_out_with_the_reason()
    {
        var document = new CatalogueDocument
        {
            Version = "7", Subnet = "10.0.1.0/24", DefaultIndex = 2,
            ModelOverrides = new Dictionary<string, int> { ["MacBookPro14,1"] = 1 },
            Images = [Image(1, macs: ["80:e6:50:09:ed:a2"]), Image(2, type: "nfs"), Image(3, type: "FTP"), Image(70000), Image(4, macs: ["not-a-mac"]), Image(5, archs: [])],
        };

        var catalog = CatalogueConverter.ToBootCatalog(document, out var problems);

        catalog.Images.Select(i => i.Index).ShouldBe([(ushort)1, (ushort)2, (ushort)5]);
        catalog.Images[0].EnabledMacAddresses.Single().ToString().ShouldBe("80E65009EDA2");
        catalog.Images[0].BootImageId.ShouldBe(0x81000001u);
        catalog.Images[1].Type.ShouldBe(BootImageType.NFS);
        catalog.Images[2].Architectures.ShouldBe(["ppc"], "Apple's default when an NBI names no architecture");
        catalog.Mapping.ShouldNotBeNull().DefaultIndex.ShouldBe((ushort)2);
        catalog.Mapping.Models["MacBookPro14,1"].ShouldBe((ushort)1);
        problems.Count.ShouldBe(3);
        problems.ShouldContain(p => p.Contains("Index 3") && p.Contains("Type \"FTP\""));
        problems.ShouldContain(p => p.Contains("Index 70000 is outside 1-65535"));
        problems.ShouldContain(p => p.Contains("\"not-a-mac\" is not a MAC address"));
    }
}

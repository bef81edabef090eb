using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;
using CoreConsole.NetBoot.Tests.TestSupport;

namespace CoreConsole.NetBoot.Tests.Nbi;

/// <summary>Every real NBImageInfo.plist in tests/fixtures/nbi, as XML and as a binary plist made by Python's plistlib.</summary>
public class NbiFixtureTests
{
    public static TheoryData<string, string> FoldersAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in NbiTestPaths.NbiFixtureFolders())
        {
            data.Add(folder, "xml");
            data.Add(folder, "binary");
        }

        return data;
    }

    private static async Task<NbiParseResult> ParseAsync(string folder, string format)
    {
        string xmlPath = Path.Combine(NbiTestPaths.NbiFixtures, folder, "NBImageInfo.plist");
        if (format == "xml") return NbiImageInfoParser.Parse(await File.ReadAllBytesAsync(xmlPath));

        using var tmp = new NbiTempDir();
        var binary = await NbiProcess.ToBinaryPlistAsync(xmlPath, tmp.Combine("NBImageInfo.plist"));
        Assert.SkipWhen(binary is null, NbiProcess.NoPython);
        binary.AsSpan(0, 8).SequenceEqual("bplist00"u8).ShouldBeTrue();
        return NbiImageInfoParser.Parse(binary);
    }

    [Theory]
    [MemberData(nameof(FoldersAndFormats))]
    public async Task Every_fixture_parses_or_fails_only_for_its_missing_index_and_name(string folder, string format)
    {
        var result = await ParseAsync(folder, format);
        if (folder.Contains("template") && folder.StartsWith("DeployStudio"))
        {
            result.IsValid.ShouldBeFalse();
            result.Errors.Select(e => (e.Kind, e.Key)).ShouldBe([(NbiErrorKind.MissingKey, "Index"), (NbiErrorKind.MissingKey, "Name")], ignoreOrder: true);
            result.Errors.ShouldAllBe(e => e.Message.StartsWith("required key"));
        }
        else
        {
            result.Errors.ShouldBeEmpty();
            result.Info.ShouldNotBeNull().BootFile.ShouldBe("booter");
        }
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("binary")]
    public async Task NetRestore_keeps_its_two_architectures_and_comma_laden_model_ids(string format)
    {
        var info = (await ParseAsync("NetRestore-10.5.8.nbi", format)).Info.ShouldNotBeNull();
        info.Index.ShouldBe((ushort)45);
        info.Kind.ShouldBe((byte)1);
        info.Type.ShouldBe(BootImageType.NFS);
        info.IsInstall.ShouldBeTrue();
        info.IsEnabled.ShouldBeTrue();
        info.Architectures.ShouldBe(["ppc", "i386"]);
        info.RootPath.ShouldBe("NetInstall-Restore.dmg");
        info.DisabledSystemIdentifiers.Length.ShouldBe(82);
        info.DisabledSystemIdentifiers.ShouldContain("MacPro1,1,Quad");
        info.DisabledSystemIdentifiers.ShouldContain("PowerMac11,2,Quad");
        info.EnabledSystemIdentifiers.ShouldBeEmpty();
        info.Language.ShouldBe("English");
        info.OsVersion.ShouldBe("10.5.8");
        info.Description.ShouldBe("");
        info.BootImageId.ShouldBe(0x8100_002Du);
    }

    [Theory]
    [InlineData("AutoCasperNBI-template.nbi", 0, "xml")]
    [InlineData("AutoCasperNBI-template.nbi", 0, "binary")]
    [InlineData("AutoCasperNBI-10.11-15A284.nbi", 69, "xml")]
    [InlineData("AutoCasperNBI-10.11-15A284.nbi", 69, "binary")]
    [InlineData("AutoCasperNBI-10.11.1-15B42.nbi", 72, "xml")]
    [InlineData("AutoCasperNBI-10.11.1-15B42.nbi", 72, "binary")]
    public async Task AutoCasper_images_are_disabled_http_images_with_a_global_index(string folder, int disabledCount, string format)
    {
        var info = (await ParseAsync(folder, format)).Info.ShouldNotBeNull();
        info.IsEnabled.ShouldBeFalse();
        info.Type.ShouldBe(BootImageType.HTTP);
        info.Index.ShouldBe((ushort)42000);
        info.RootPath.ShouldBe("System.dmg");
        info.Name.ShouldBe("My NetInstall Image");
        info.Description.ShouldBe("No description");
        info.DisabledSystemIdentifiers.Length.ShouldBe(disabledCount);
        info.EnabledSystemIdentifiers.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_unknown_OSBuildDetails_key_is_ignored()
    {
        var info = (await ParseAsync("AutoCasperNBI-10.11.1-15B42.nbi", "xml")).Info.ShouldNotBeNull();
        info.DisabledSystemIdentifiers.ShouldContain("iMac17,1");
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("binary")]
    public async Task DeployStudio_runtime_has_both_filter_lists_and_kind_two(string format)
    {
        var info = (await ParseAsync("DeployStudio-10.8.nbi", format)).Info.ShouldNotBeNull();
        info.Index.ShouldBe((ushort)1082);
        info.Kind.ShouldBe((byte)2);
        info.Type.ShouldBe(BootImageType.NFS);
        info.Description.ShouldBe("DStudio-R134");
        info.OsVersion.ShouldBe("10.8");
        info.DisabledSystemIdentifiers.Length.ShouldBe(20);
        info.EnabledSystemIdentifiers.Length.ShouldBe(41);
        info.BootImageId.ShouldBe(0x8200_043Au);
    }
}

using System.Net.NetworkInformation;
using System.Text;
using CoreConsole.NetBoot.Bsdp;
using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.NetBoot.Tests.Nbi;

public class NbiImageInfoParserTests
{
    internal static string Plist(string body) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>{body}</dict></plist>""";

    internal const string Minimal = "<key>Index</key><integer>864</integer><key>Name</key><string>NetInstall</string>" +
                                    "<key>Type</key><string>HTTP</string><key>BootFile</key><string>booter</string>" +
                                    "<key>RootPath</key><string>NetInstall.dmg</string>";

    private static NbiParseResult Parse(string body) => NbiImageInfoParser.Parse(Encoding.UTF8.GetBytes(Plist(body)));

    private static NbiError SingleError(string body) => Parse(body).Errors.ShouldHaveSingleItem();

    [Fact]
    public void Apple_defaults_apply_when_optional_keys_are_absent()
    {
        var info = Parse(Minimal).Info.ShouldNotBeNull();
        info.Architectures.ShouldBe(["ppc"]);
        info.IsEnabled.ShouldBeTrue();
        info.IsInstall.ShouldBeFalse();
        info.IsDefault.ShouldBeFalse();
        info.FilterOnly.ShouldBeFalse();
        info.Kind.ShouldBe((byte)1);
        info.EnabledMacAddresses.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    [InlineData(-1)]
    public void An_index_outside_1_to_65535_is_rejected(int index)
    {
        var e = SingleError(Minimal.Replace("<integer>864</integer>", $"<integer>{index}</integer>"));
        e.Kind.ShouldBe(NbiErrorKind.IndexOutOfRange);
        e.Key.ShouldBe("Index");
        e.Message.ShouldBe($"Index {index} is outside 1-65535");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void The_index_boundaries_are_accepted(int index) =>
        Parse(Minimal.Replace("<integer>864</integer>", $"<integer>{index}</integer>")).Info.ShouldNotBeNull().Index.ShouldBe((ushort)index);

    [Fact]
    public void An_index_written_as_a_string_is_a_wrong_type()
    {
        var e = SingleError(Minimal.Replace("<integer>864</integer>", "<string>864</string>"));
        e.Kind.ShouldBe(NbiErrorKind.WrongType);
        e.Message.ShouldBe("Index is a string, expected an integer");
    }

    [Fact]
    public void An_unknown_type_is_rejected_with_the_allowed_values() =>
        SingleError(Minimal.Replace("<string>HTTP</string>", "<string>HTTPS</string>")).Message.ShouldContain("NFS, HTTP, BootFileOnly or Classic");

    [Fact]
    public void A_boolean_key_holding_a_string_is_a_wrong_type() =>
        SingleError(Minimal + "<key>IsEnabled</key><string>yes</string>").Message.ShouldBe("IsEnabled is a string, expected a boolean (<true/> or <false/>)");

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var errors = Parse("<key>Index</key><integer>0</integer><key>Type</key><string>X</string><key>IsDefault</key><integer>1</integer>").Errors;
        errors.Select(e => e.Key).ShouldBe(["Name", "BootFile", "Index", "Type", "IsDefault"], ignoreOrder: true);
    }

    [Fact]
    public void A_bootfileonly_image_must_state_its_kind() =>
        SingleError(Minimal.Replace("<string>HTTP</string>", "<string>BootFileOnly</string>")).ShouldBe(
            new NbiError(NbiErrorKind.MissingKey, "Kind is required for BootFileOnly images", "Kind"));

    [Fact]
    public void A_diagnostics_image_is_filter_only_unless_it_says_otherwise()
    {
        Parse(Minimal + "<key>Kind</key><integer>3</integer>").Info!.FilterOnly.ShouldBeTrue();
        Parse(Minimal + "<key>Kind</key><integer>3</integer><key>FilterOnly</key><false/>").Info!.FilterOnly.ShouldBeFalse();
    }

    [Fact]
    public void A_kind_above_127_is_rejected() =>
        SingleError(Minimal + "<key>Kind</key><integer>128</integer>").Message.ShouldBe("Kind 128 is outside 0-127");

    [Theory]
    [InlineData("../booter")]
    [InlineData("i386/booter")]
    [InlineData("")]
    public void A_boot_file_that_is_not_a_plain_name_is_rejected(string bootFile) =>
        SingleError(Minimal.Replace("<string>booter</string>", $"<string>{bootFile}</string>")).Key.ShouldBe("BootFile");

    [Theory]
    [InlineData("http://netboot01/nbi/NetInstall.dmg", "host \"netboot01\" is not an IPv4 literal")]
    [InlineData("nfs:server.example:/Library/NetBoot:x.nbi/NetInstall.dmg", "NFS server \"server.example\" is not an IPv4 literal")]
    [InlineData("https://10.0.0.5/x.dmg", "https is not supported")]
    public void An_indirect_root_path_with_a_host_name_is_unusable_by_firmware(string url, string message)
    {
        var e = SingleError(Minimal.Replace("<string>NetInstall.dmg</string>", $"<string>{url}</string>"));
        e.Kind.ShouldBe(NbiErrorKind.RootPathUnusable);
        e.Message.ShouldContain(message);
    }

    [Fact]
    public void An_indirect_root_path_over_255_bytes_is_rejected()
    {
        string url = "http://10.0.0.5/" + new string('a', 250) + ".dmg";
        var e = SingleError(Minimal.Replace("<string>NetInstall.dmg</string>", $"<string>{url}</string>"));
        e.Kind.ShouldBe(NbiErrorKind.RootPathTooLong);
        e.Message.ShouldContain("option 17 holds at most 255");
    }

    [Fact]
    public void Indirect_root_paths_with_ip_literals_are_kept()
    {
        var info = Parse(Minimal.Replace("<string>NetInstall.dmg</string>", "<string>nfs:10.0.1.7:/Library/NetBoot/NetBootSP0:Install.nbi/NetInstall.dmg</string>")).Info!;
        info.HasIndirectRootPath.ShouldBeTrue();
    }

    [Fact]
    public void A_root_path_escaping_the_nbi_folder_is_rejected() =>
        SingleError(Minimal.Replace("<string>NetInstall.dmg</string>", "<string>../other.dmg</string>")).Kind.ShouldBe(NbiErrorKind.BadValue);

    [Fact]
    public void Mac_addresses_are_parsed_including_unpadded_octets()
    {
        var info = Parse(Minimal + "<key>EnabledMACAddresses</key><array><string>80:e6:50:09:ed:a2</string><string>0:1b:63:a:b:c</string></array>").Info!;
        info.EnabledMacAddresses.ShouldBe([PhysicalAddress.Parse("80-E6-50-09-ED-A2"), PhysicalAddress.Parse("00-1B-63-0A-0B-0C")]);
    }

    [Fact]
    public void A_malformed_mac_address_is_named_in_the_error() =>
        SingleError(Minimal + "<key>DisabledMACAddresses</key><array><string>80:e6:50</string></array>").Message.ShouldStartWith("\"80:e6:50\" in DisabledMACAddresses");

    [Fact]
    public void A_non_string_model_identifier_is_reported_with_its_position() =>
        SingleError(Minimal + "<key>EnabledSystemIdentifiers</key><array><string>iMac5,1</string><integer>3</integer></array>").Message
            .ShouldBe("EnabledSystemIdentifiers[1] is an integer, expected a string");

    [Fact]
    public void A_broken_plist_is_reported_as_unreadable_with_its_position()
    {
        var e = NbiImageInfoParser.Parse("<plist><dict><key>Index</key></dict></plist>"u8).Errors.ShouldHaveSingleItem();
        e.Kind.ShouldBe(NbiErrorKind.PlistUnreadable);
        e.Message.ShouldContain("line 1");
    }

    [Fact]
    public void A_plist_whose_root_is_not_a_dict_is_rejected() =>
        NbiImageInfoParser.Parse("<plist><array/></plist>"u8).Errors.ShouldHaveSingleItem().Message.ShouldBe("top-level value is an array, expected a dict");

    [Fact]
    public void Classic_images_default_to_kind_zero() =>
        Parse(Minimal.Replace("<string>HTTP</string>", "<string>Classic</string>")).Info!.Kind.ShouldBe((byte)0);

    [Fact]
    public void The_boot_image_id_combines_install_bit_kind_and_index()
    {
        var info = Parse(Minimal + "<key>IsInstall</key><true/>").Info!;
        info.BootImageId.ShouldBe(0x8100_0360u);
        info.Type.ShouldBe(BootImageType.HTTP);
    }
}

using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Tests.Bsdp;

public class VendorClassTests
{
    [Theory]
    [InlineData("AAPLBSDPC/i386/MacBookPro14,1", "i386", "MacBookPro14,1")]
    [InlineData("AAPLBSDPC/ppc/PowerMac3,1", "ppc", "PowerMac3,1")]
    [InlineData("AAPLBSDPC/arm/Mac14,2", "arm", "Mac14,2")]
    [InlineData("AAPLBSDPC/i386/", "i386", "")]
    [InlineData("AAPLBSDPC/i386/MacPro1,1,Quad", "i386", "MacPro1,1,Quad")]
    public void Parses_client_classes(string value, string arch, string model)
    {
        BsdpVendorClass.TryParse(System.Text.Encoding.ASCII.GetBytes(value), out var parsed).ShouldBeTrue();
        parsed.IsServer.ShouldBeFalse();
        System.Text.Encoding.ASCII.GetString(parsed.Architecture).ShouldBe(arch);
        System.Text.Encoding.ASCII.GetString(parsed.SystemIdentifier).ShouldBe(model);
    }

    [Fact]
    public void Recognises_the_server_class()
    {
        BsdpVendorClass.TryParse("AAPLBSDPC"u8, out var parsed).ShouldBeTrue();
        parsed.IsServer.ShouldBeTrue();
    }

    // R7: Apple's bad_sysid1..4 (BSDPClient.c), plus prefixes that are not BSDP.
    [Theory]
    [InlineData("AAPLBSDPC/ppc/\nbad1")]
    [InlineData("AAPLBSDPC/ppcn/\0bad2")]
    [InlineData("AAPLBSDPC/p\0cab/bad3")]
    [InlineData("AAPLBSDPC/p\nc/badsys4")]
    [InlineData("AAPLBSDPC/i386")]
    [InlineData("AAPLBSDPCX/i386/Mac")]
    [InlineData("AAPLBSDP")]
    [InlineData("PXEClient:Arch:00000:UNDI:002001")]
    [InlineData("")]
    public void Rejects_malformed_classes(string value)
    {
        BsdpVendorClass.TryParse(System.Text.Encoding.ASCII.GetBytes(value), out _).ShouldBeFalse();
    }
}

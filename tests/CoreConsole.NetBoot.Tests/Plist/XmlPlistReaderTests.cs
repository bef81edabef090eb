using System.Text;
using CoreConsole.NetBoot.Plist;

namespace CoreConsole.NetBoot.Tests.Plist;

public class XmlPlistReaderTests
{
    private static PlistValue Read(string xml) => PlistReader.Read(Encoding.UTF8.GetBytes(xml));

    private const string NewDoctype = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">""";
    private const string OldDoctype = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist PUBLIC "-//Apple Computer//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">""";

    [Theory]
    [InlineData(NewDoctype)]
    [InlineData(OldDoctype)]
    [InlineData("")]
    public void Every_value_type_is_read_whatever_the_doctype(string prolog)
    {
        var v = Read(prolog + """
            <plist version="1.0"><dict>
              <key>s</key><string>a &amp; b</string>
              <key>empty</key><string/>
              <key>i</key><integer>-42</integer>
              <key>hex</key><integer>0x1F</integer>
              <key>r</key><real>1.5</real>
              <key>t</key><true/>
              <key>f</key><false/>
              <key>d</key><date>2017-08-10T12:13:14Z</date>
              <key>bytes</key><data>
                AAEC
                /w==
              </data>
              <key>a</key><array><string>MacPro1,1,Quad</string><array/></array>
            </dict></plist>
            """).ShouldBeOfType<PlistDictionary>();

        v["s"].ShouldBe(new PlistString("a & b"));
        v["empty"].ShouldBe(new PlistString(""));
        v["i"].ShouldBe(new PlistInteger(-42));
        v["hex"].ShouldBe(new PlistInteger(31));
        v["r"].ShouldBe(new PlistReal(1.5));
        v["t"].ShouldBe(PlistBoolean.True);
        v["f"].ShouldBe(PlistBoolean.False);
        v["d"].ShouldBe(new PlistDate(new DateTimeOffset(2017, 8, 10, 12, 13, 14, TimeSpan.Zero)));
        ((PlistData)v["bytes"]!).Value.ShouldBe(new byte[] { 0, 1, 2, 0xFF });
        var a = (PlistArray)v["a"]!;
        a.Items[0].ShouldBe(new PlistString("MacPro1,1,Quad"));
        a.Items[1].ShouldBe(new PlistArray([]));
    }

    [Fact]
    public void An_external_entity_in_the_doctype_is_never_resolved()
    {
        var ex = Should.Throw<PlistException>(() => Read("""
            <?xml version="1.0"?><!DOCTYPE plist [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <plist><string>&xxe;</string></plist>
            """));
        ex.Format.ShouldBe(PlistFormat.Xml);
        ex.Position.ShouldStartWith("line 2");
    }

    [Theory]
    [InlineData("<plist><dict><key>a</key></dict></plist>", "key \"a\" has no value")]
    [InlineData("<plist><dict><string>x</string></dict></plist>", "expected <key> in <dict>")]
    [InlineData("<plist><integer>12x</integer></plist>", "\"12x\" is not an integer")]
    [InlineData("<plist><integer>9223372036854775808</integer></plist>", "does not fit in 64 bits")]
    [InlineData("<plist><date>yesterday</date></plist>", "not an ISO 8601")]
    [InlineData("<plist><data>!!!</data></plist>", "not valid base64")]
    [InlineData("<plist><real>one</real></plist>", "not a real")]
    [InlineData("<plist><thing/></plist>", "unknown plist element <thing>")]
    [InlineData("<notplist/>", "expected <plist>")]
    [InlineData("<plist><true/><false/></plist>", "more than one value")]
    [InlineData("<plist><dict><key>a</key><true/><key>a</key><false/></dict></plist>", "duplicate key \"a\"")]
    [InlineData("<plist><string>x<b/></string></plist>", "only text is allowed")]
    [InlineData("<plist><dict>", "malformed XML")]
    [InlineData("", "malformed XML")]
    public void A_broken_xml_plist_fails_with_the_precise_reason(string xml, string reason)
    {
        var ex = Should.Throw<PlistException>(() => Read(xml));
        ex.Message.ShouldContain(reason);
        ex.Format.ShouldBe(PlistFormat.Xml);
        ex.Position.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void The_error_position_points_at_the_line_of_the_problem()
    {
        var ex = Should.Throw<PlistException>(() => Read("<plist>\n<dict>\n<key>a</key>\n<integer>x</integer>\n</dict>\n</plist>"));
        ex.Position.ShouldStartWith("line 4");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        string xml = "<plist>" + string.Concat(Enumerable.Repeat("<array>", 100)) + string.Concat(Enumerable.Repeat("</array>", 100)) + "</plist>";
        Should.Throw<PlistException>(() => PlistReader.Read(Encoding.UTF8.GetBytes(xml), new PlistReaderOptions { MaxDepth = 50 }))
            .Reason.ShouldContain("nesting deeper than 50");
    }
}

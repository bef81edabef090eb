using CoreConsole.NetBoot.Plist;
using CoreConsole.NetBoot.Tests.TestSupport;
using static CoreConsole.NetBoot.Tests.TestSupport.NbiBplist;

namespace CoreConsole.NetBoot.Tests.Plist;

public class BinaryPlistReaderTests
{
    private static PlistException Fails(byte[] bytes)
    {
        var ex = Should.Throw<PlistException>(() => PlistReader.Read(bytes));
        ex.Format.ShouldBe(PlistFormat.Binary);
        ex.Position.ShouldStartWith("offset 0x");
        return ex;
    }

    private static byte[] SmallDict() => Build([[0xD1, 1, 2], Ascii("Index"), Int8(45)]);

    [Fact]
    public void A_hand_built_dict_is_read()
    {
        var d = PlistReader.Read(SmallDict()).ShouldBeOfType<PlistDictionary>();
        d["Index"].ShouldBe(new PlistInteger(45));
    }

    [Fact]
    public async Task Values_written_by_python_plistlib_are_read_exactly()
    {
        using var tmp = new NbiTempDir();
        var bytes = await NbiProcess.PythonBinaryPlistAsync(
            "{'ascii':'booter','utf16':'Ünïcødé 통기타','neg':-5,'big':2**40,'u8':200,'r':0.25,'t':True,'f':False," +
            "'when':datetime.datetime(2017,8,10,12,0,0),'blob':bytes(range(20)),'list':['a']*20,'nested':{'x':[1,2,3]}}",
            tmp.Combine("v.plist"));
        Assert.SkipWhen(bytes is null, NbiProcess.NoPython);

        var d = PlistReader.Read(bytes).ShouldBeOfType<PlistDictionary>();
        d["ascii"].ShouldBe(new PlistString("booter"));
        d["utf16"].ShouldBe(new PlistString("Ünïcødé 통기타"));
        d["neg"].ShouldBe(new PlistInteger(-5));
        d["big"].ShouldBe(new PlistInteger(1L << 40));
        d["u8"].ShouldBe(new PlistInteger(200));
        d["r"].ShouldBe(new PlistReal(0.25));
        d["t"].ShouldBe(PlistBoolean.True);
        d["f"].ShouldBe(PlistBoolean.False);
        d["when"].ShouldBe(new PlistDate(new DateTimeOffset(2017, 8, 10, 12, 0, 0, TimeSpan.Zero)));
        ((PlistData)d["blob"]!).Value.ShouldBe(Enumerable.Range(0, 20).Select(i => (byte)i));
        ((PlistArray)d["list"]!).Items.Length.ShouldBe(20);
        ((PlistArray)((PlistDictionary)d["nested"]!)["x"]!).Items.ShouldBe([new PlistInteger(1), new PlistInteger(2), new PlistInteger(3)]);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_its_length()
    {
        var bytes = SmallDict();
        Fails(bytes[..20]).Reason.ShouldContain("too short");
        // Cutting bytes out of the middle moves the trailer: offsets now point past the table.
        var cut = bytes[..10].Concat(bytes[12..]).ToArray();
        Fails(cut);
    }

    [Fact]
    public void An_object_offset_outside_the_object_area_is_refused()
    {
        var bytes = SmallDict();
        int table = bytes.Length - 32 - 3;
        bytes[table + 1] = 0xF0;
        Fails(bytes).Reason.ShouldContain("object 1 has offset 240");
    }

    [Fact]
    public void An_offset_table_beyond_the_trailer_is_refused() =>
        Fails(Build([Int8(1)], tableOffsetOverride: 4000)).Reason.ShouldContain("offset table");

    [Fact]
    public void A_top_object_beyond_the_object_count_is_refused() =>
        Fails(Build([Int8(1)], topOverride: 7)).Reason.ShouldContain("top object 7");

    [Fact]
    public void An_object_count_above_the_limit_is_refused() =>
        Should.Throw<PlistException>(() => PlistReader.Read(Build([Int8(1)], objectCount: 5_000_000))).Reason.ShouldContain("object count");

    [Fact]
    public void An_array_that_contains_itself_is_reported_as_a_cycle() =>
        Fails(Build([[0xA1, 0]])).Reason.ShouldContain("cycle");

    [Fact]
    public void A_longer_cycle_through_a_dict_is_reported()
    {
        // 0: dict {"k": array(1)}, 2: array [dict 0]
        Fails(Build([[0xD1, 1, 2], Ascii("k"), [0xA1, 0]])).Reason.ShouldContain("cycle");
    }

    [Fact]
    public void Shared_references_are_not_mistaken_for_cycles()
    {
        var v = PlistReader.Read(Build([[0xA3, 1, 1, 1], Ascii("x")])).ShouldBeOfType<PlistArray>();
        v.Items.ShouldAllBe(i => i.Equals(new PlistString("x")));
    }

    [Fact]
    public void A_reference_to_a_missing_object_is_refused() =>
        Fails(Build([[0xA1, 9]])).Reason.ShouldContain("object reference 9");

    [Fact]
    public void A_dict_key_that_is_not_a_string_is_refused() =>
        Fails(Build([[0xD1, 1, 1], Int8(3)])).Reason.ShouldContain("dict key 0 is not a string");

    [Fact]
    public void A_string_running_into_the_offset_table_is_refused() =>
        Fails(Build([[0x5F, 0x10, 200, (byte)'a']])).Reason.ShouldContain("overruns the offset table");

    [Fact]
    public void An_unknown_marker_is_refused() =>
        Fails(Build([[0xE0]])).Reason.ShouldContain("unknown object marker 0xe0");

    [Fact]
    public void Non_ascii_bytes_in_an_ascii_string_are_refused() =>
        Fails(Build([[0x52, (byte)'a', 0xC3]])).Reason.ShouldContain("ASCII string");

    [Fact]
    public void Eight_byte_references_and_offsets_are_supported()
    {
        var v = PlistReader.Read(Build([[0xA1, 0, 0, 0, 0, 0, 0, 0, 1], Ascii("z")], refSize: 8, offsetSize: 8));
        v.ShouldBe(new PlistArray([new PlistString("z")]));
    }

    [Fact]
    public void Reference_and_offset_sizes_outside_one_to_eight_are_refused()
    {
        Fails(Build([Int8(1)], refSize: 0)).Reason.ShouldContain("object reference size 0");
        Fails(Build([Int8(1)], offsetSize: 9)).Reason.ShouldContain("offset size 9");
    }

    [Fact]
    public void A_deep_chain_of_arrays_hits_the_depth_limit()
    {
        var objects = Enumerable.Range(0, 100).Select(i => i < 99 ? new byte[] { 0xA1, (byte)(i + 1) } : Int8(0)).ToList();
        Should.Throw<PlistException>(() => PlistReader.Read(Build(objects), new PlistReaderOptions { MaxDepth = 32 }))
            .Reason.ShouldContain("nesting deeper than 32");
    }

    [Fact]
    public void A_bplist_version_other_than_00_is_refused()
    {
        var bytes = SmallDict();
        bytes[7] = (byte)'1';
        Fails(bytes).Reason.ShouldContain("bplist01");
    }
}

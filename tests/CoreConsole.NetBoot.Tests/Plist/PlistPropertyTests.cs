using System.Text;
using CoreConsole.NetBoot.Plist;
using CoreConsole.NetBoot.Tests.TestSupport;
using CsCheck;

namespace CoreConsole.NetBoot.Tests.Plist;

public class PlistPropertyTests
{
    private static readonly byte[] BinarySeed = NbiBplist.Build(
        [[0xD3, 1, 2, 3, 4, 5, 6], NbiBplist.Ascii("Index"), NbiBplist.Ascii("Name"), NbiBplist.Ascii("Archs"),
         NbiBplist.Int8(45), [0x62, 0, (byte)'N', 0, (byte)'B'], [0xA1, 7], NbiBplist.Ascii("i386")]);

    private static readonly byte[] XmlSeed = File.ReadAllBytes(Path.Combine(NbiTestPaths.NbiFixtures, "DeployStudio-sysBuilder-10.12-template.nbi", "NBImageInfo.plist"));

    /// <summary>Reading must either succeed or throw PlistException; anything else is a bug.</summary>
    private static void ReadOrPlistException(byte[] bytes)
    {
        try
        {
            PlistReader.Read(bytes);
        }
        catch (PlistException)
        {
        }
    }

    [Fact]
    public void The_binary_seed_used_for_mutation_is_valid() =>
        PlistReader.Read(BinarySeed).ShouldBeOfType<PlistDictionary>()["Name"].ShouldBe(new PlistString("NB"));

    [Fact]
    public void Random_bytes_after_a_bplist_header_only_ever_raise_a_plist_exception() =>
        Gen.Byte.Array[0, 300].Select(b => "bplist00"u8.ToArray().Concat(b).ToArray()).Sample(ReadOrPlistException, iter: 20_000);

    [Fact]
    public void Random_bytes_only_ever_raise_a_plist_exception() =>
        Gen.Byte.Array[0, 200].Sample(ReadOrPlistException, iter: 5_000);

    [Fact]
    public void Mutated_binary_plists_only_ever_raise_a_plist_exception() =>
        Mutations(BinarySeed).Sample(ReadOrPlistException, iter: 50_000);

    [Fact]
    public void Mutated_xml_plists_only_ever_raise_a_plist_exception() =>
        Mutations(XmlSeed).Sample(ReadOrPlistException, iter: 5_000);

    [Fact]
    public void Random_text_inside_a_plist_element_only_ever_raises_a_plist_exception() =>
        Gen.OneOf<string>("integer", "real", "date", "data", "string", "dict", "array")
            .Select(Gen.String, (tag, text) => Encoding.UTF8.GetBytes($"<plist><{tag}>{text}</{tag}></plist>"))
            .Sample(ReadOrPlistException, iter: 5_000);

    /// <summary>1–4 random byte overwrites, or a truncation, of a valid file.</summary>
    private static Gen<byte[]> Mutations(byte[] seed) =>
        Gen.Frequency(
            (4, Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte).Array[1, 4].Select(edits =>
            {
                var copy = (byte[])seed.Clone();
                foreach (var (at, value) in edits) copy[at] = value;
                return copy;
            })),
            (1, Gen.Int[0, seed.Length].Select(n => seed[..n])));
}

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// Whether an image will boot a Mac model, judged the way the responder judges it (BSDP.md §7): the image's model
/// whitelist (<c>EnabledSystemIdentifiers</c>, exact and case-sensitive, empty = every model) and its architectures.
/// <para>
/// Architecture rule (inventory reports model identifiers, not CPU types): identifiers of PowerPC Macs
/// (<c>PowerMac*</c>, <c>PowerBook*</c>, <c>iBook*</c>, <c>RackMac*</c>) boot <c>ppc</c> booters; every other Mac
/// model is taken to be an Intel Mac that boots <c>i386</c> or <c>x86_64</c> booters. Apple silicon Macs cannot
/// NetBoot at all; inventory from this fleet is assumed not to list them as NetBoot targets.
/// </para>
/// </summary>
public static class ModelAcceptance
{
    private static readonly string[] PowerPcPrefixes = ["PowerMac", "PowerBook", "iBook", "RackMac"];
    public static readonly IReadOnlyList<string> IntelArchitectures = ["i386", "x86_64"];
    public static readonly IReadOnlyList<string> PowerPcArchitectures = ["ppc"];

    public static IReadOnlyList<string> ArchitecturesOf(string model) =>
        PowerPcPrefixes.Any(p => model.StartsWith(p, StringComparison.Ordinal)) ? PowerPcArchitectures : IntelArchitectures;

    /// <summary>Null when the image accepts the model; otherwise the reason it does not.</summary>
    public static string? WhyNot(string model, IReadOnlyCollection<string> architectures, IReadOnlyCollection<string> whitelist)
    {
        if (whitelist.Count > 0 && !whitelist.Contains(model, StringComparer.Ordinal))
            return $"{model} is not in the image's model whitelist ({whitelist.Count} models)";
        var needed = ArchitecturesOf(model);
        if (!architectures.Any(a => needed.Contains(a, StringComparer.Ordinal)))
            return $"the image has {(architectures.Count == 0 ? "no" : string.Join("/", architectures))} booters; {model} needs {string.Join(" or ", needed)}";
        return null;
    }

    public static string? WhyNot(string model, NetBootImage image) => WhyNot(model, image.Architectures, image.EnabledSystemIdentifiers);
}

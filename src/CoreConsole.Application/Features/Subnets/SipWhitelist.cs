using System.Text;

namespace CoreConsole.Application.Features.Subnets;

/// <summary>
/// The SIP NetBoot whitelist texts (BSDP.md §11): each Mac trusts, in NVRAM, the IPv4 addresses of BSDP responders
/// (option 54, the representative's interface address) added with <c>csrutil netboot add</c> from Recovery or a
/// NetInstall boot. N-key and Option-key boots are not affected.
/// </summary>
public static class SipWhitelist
{
    /// <summary>Valid dotted quads, de-duplicated and sorted numerically.</summary>
    public static IReadOnlyList<string> Normalise(IEnumerable<string> addresses) =>
        addresses.Select(a => a.Trim())
            .Where(a => Ipv4Network.TryParseAddress(a, out _))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(a => { Ipv4Network.TryParseAddress(a, out var n); return n; })
            .ToList();

    public static IReadOnlyList<string> Commands(IEnumerable<string> addresses) =>
        Normalise(addresses).Select(a => $"csrutil netboot add {a}").ToList();

    /// <summary>A script to run at NetInstall time (or from Recovery's Terminal) that trusts every address.</summary>
    public static string Script(string cidr, IEnumerable<string> addresses, DateTimeOffset publishedAt, string publishedBy)
    {
        var list = Normalise(addresses);
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        sb.Append($"# CoreConsole SIP NetBoot whitelist for {cidr}\n");
        sb.Append($"# Published {publishedAt:yyyy-MM-dd HH:mm} UTC by {publishedBy}. Run from a NetInstall/NetRestore boot or Recovery:\n");
        sb.Append("# csrutil cannot change the whitelist from the booted OS. An NVRAM reset clears it.\n");
        sb.Append("set -e\n");
        sb.Append("if ! command -v csrutil >/dev/null 2>&1; then echo 'csrutil not found: run this from Recovery or a NetInstall boot' >&2; exit 1; fi\n");
        foreach (var a in list) sb.Append($"csrutil netboot add {a}\n");
        sb.Append("csrutil netboot list\n");
        return sb.ToString();
    }
}

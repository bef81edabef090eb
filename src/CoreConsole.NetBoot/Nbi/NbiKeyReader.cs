using System.Collections.Immutable;
using System.Net.NetworkInformation;
using System.Text.RegularExpressions;
using CoreConsole.NetBoot.Plist;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>Typed access to the NBImageInfo dict that records a precise error for every missing or mistyped key.</summary>
internal sealed partial class KeyReader(PlistDictionary dict)
{
    private readonly ImmutableArray<NbiError>.Builder _errors = ImmutableArray.CreateBuilder<NbiError>();
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public ImmutableArray<NbiError> Errors => _errors.ToImmutable();

    public void Add(NbiErrorKind kind, string key, string message)
    {
        // Optional keys may be read twice (once for the image, once when collecting errors); report once.
        if (_reported.Add($"{kind}|{key}|{message}")) _errors.Add(new NbiError(kind, message, key));
    }

    public T? Add<T>(NbiErrorKind kind, string key, string message)
    {
        Add(kind, key, message);
        return default;
    }

    private T? Get<T>(string key, bool required, string expected) where T : PlistValue
    {
        switch (dict[key])
        {
            case null:
                if (required) Add(NbiErrorKind.MissingKey, key, $"required key {key} is missing");
                return null;
            case T value:
                return value;
            case var other:
                Add(NbiErrorKind.WrongType, key, $"{key} is {Article(other.TypeName)}, expected {expected}");
                return null;
        }
    }

    internal static string Article(string typeName) => ("aeiou".Contains(typeName[0]) ? "an " : "a ") + typeName;

    public long? Integer(string key, bool required) => Get<PlistInteger>(key, required, "an integer")?.Value;

    public string? String(string key, bool required) => Get<PlistString>(key, required, "a string")?.Value;

    public bool? Boolean(string key) => Get<PlistBoolean>(key, false, "a boolean (<true/> or <false/>)")?.Value;

    public ImmutableArray<string>? StringArray(string key)
    {
        if (Get<PlistArray>(key, false, "an array of strings") is not { } array) return null;
        var result = ImmutableArray.CreateBuilder<string>(array.Items.Length);
        for (int i = 0; i < array.Items.Length; i++)
        {
            if (array.Items[i] is PlistString s) result.Add(s.Value);
            else Add(NbiErrorKind.WrongType, key, $"{key}[{i}] is {Article(array.Items[i].TypeName)}, expected a string");
        }

        return result.ToImmutable();
    }

    public ImmutableArray<PhysicalAddress> MacArray(string key)
    {
        var result = ImmutableArray.CreateBuilder<PhysicalAddress>();
        foreach (var text in StringArray(key) ?? [])
        {
            if (ParseMac(text) is { } mac) result.Add(mac);
            else Add(NbiErrorKind.BadValue, key, $"\"{text}\" in {key} is not a MAC address (six hex octets separated by : or -)");
        }

        return result.ToImmutable();
    }

    [GeneratedRegex("^[0-9A-Fa-f]{1,2}([:-][0-9A-Fa-f]{1,2}){5}$")]
    private static partial Regex MacPattern();

    /// <summary>Accepts <c>00:1b:63:aa:bb:cc</c> and the unpadded <c>0:1b:…</c> form some tools write.</summary>
    internal static PhysicalAddress? ParseMac(string text)
    {
        if (!MacPattern().IsMatch(text)) return null;
        var bytes = text.Split(':', '-').Select(p => Convert.ToByte(p, 16)).ToArray();
        return new PhysicalAddress(bytes);
    }
}

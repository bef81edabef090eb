using System.Collections.Immutable;

namespace CoreConsole.NetBoot.Plist;

/// <summary>
/// A parsed property-list value. The hierarchy is closed (only the types in this file) and immutable, so the binary
/// reader can share one parsed object between several references without copying.
/// </summary>
public abstract record PlistValue
{
    private protected PlistValue() { }

    /// <summary>Short plist type name used in error messages ("string", "integer", "dict", ...).</summary>
    public abstract string TypeName { get; }
}

public sealed record PlistString(string Value) : PlistValue
{
    public override string TypeName => "string";
}

/// <summary>A plist integer. Values outside the signed 64-bit range are rejected by the readers.</summary>
public sealed record PlistInteger(long Value) : PlistValue
{
    public override string TypeName => "integer";
}

public sealed record PlistReal(double Value) : PlistValue
{
    public override string TypeName => "real";
}

public sealed record PlistBoolean(bool Value) : PlistValue
{
    public static readonly PlistBoolean True = new(true);
    public static readonly PlistBoolean False = new(false);
    public override string TypeName => "boolean";
}

/// <summary>A plist date, always in UTC.</summary>
public sealed record PlistDate(DateTimeOffset Value) : PlistValue
{
    public override string TypeName => "date";
}

public sealed record PlistData(ImmutableArray<byte> Value) : PlistValue
{
    public override string TypeName => "data";

    public bool Equals(PlistData? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

    public override int GetHashCode() => Value.Length;
}

/// <summary>Binary-only keyed-archiver reference (marker 0x8n); kept so such files still parse.</summary>
public sealed record PlistUid(ulong Value) : PlistValue
{
    public override string TypeName => "uid";
}

public sealed record PlistArray(ImmutableArray<PlistValue> Items) : PlistValue
{
    public override string TypeName => "array";

    public bool Equals(PlistArray? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Length;
}

/// <summary>A plist dictionary. Keys are compared ordinally (plist keys are case-sensitive).</summary>
public sealed record PlistDictionary(ImmutableDictionary<string, PlistValue> Entries) : PlistValue
{
    public override string TypeName => "dict";

    public PlistValue? this[string key] => Entries.GetValueOrDefault(key);

    public bool Equals(PlistDictionary? other) =>
        other is not null && Entries.Count == other.Entries.Count &&
        Entries.All(kv => other.Entries.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));

    public override int GetHashCode() => Entries.Count;
}

using System.Text;
using System.Text.Json;
using CoreConsole.NetBoot.Bsdp;

namespace CoreConsole.NetBoot.Nbi;

/// <summary>A model-mapping JSON document that cannot be used; the message says where (line, column, JSON path).</summary>
public sealed class ModelMappingException(string message, long line, long column, Exception? inner = null)
    : FormatException(message, inner)
{
    /// <summary>1-based line of the offending token.</summary>
    public long Line { get; } = line;

    /// <summary>1-based column (in bytes) of the offending token.</summary>
    public long Column { get; } = column;
}

/// <summary>
/// Reads <c>{"default": &lt;Index&gt;, "models": {"MacBookPro14,1": &lt;Index&gt;, ...}}</c> into a <see cref="ModelMapping"/>.
/// Both keys are optional; <c>"default": null</c> means no default. Anything else is an error, so a typo such as
/// <c>"model"</c> is reported instead of silently ignored.
/// </summary>
public static class ModelMappingJson
{
    public static ModelMapping Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    public static ModelMapping Parse(ReadOnlySpan<byte> utf8Json)
    {
        var bytes = utf8Json.ToArray();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            return ReadRoot(ref reader, bytes);
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1, column = (e.BytePositionInLine ?? 0) + 1;
            throw new ModelMappingException($"model mapping, line {line}, column {column}: invalid JSON: {e.Message}", line, column, e);
        }
    }

    private static ModelMapping ReadRoot(ref Utf8JsonReader reader, byte[] bytes)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Fail(ref reader, bytes, "$", "expected a JSON object");
        ushort? defaultIndex = null;
        var models = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var seen = new HashSet<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (!seen.Add(name)) throw Fail(ref reader, bytes, $"$.{name}", $"property \"{name}\" appears twice");
            reader.Read();
            switch (name)
            {
                case "default":
                    defaultIndex = reader.TokenType == JsonTokenType.Null ? null : ReadIndex(ref reader, bytes, "$.default");
                    break;
                case "models":
                    ReadModels(ref reader, bytes, models);
                    break;
                default:
                    throw Fail(ref reader, bytes, $"$.{name}", $"unknown property \"{name}\" (expected \"default\" or \"models\")");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject) throw Fail(ref reader, bytes, "$", "expected the end of the object");
        if (reader.Read()) throw Fail(ref reader, bytes, "$", "content after the JSON object");
        return ModelMapping.Create(defaultIndex, models);
    }

    private static void ReadModels(ref Utf8JsonReader reader, byte[] bytes, Dictionary<string, ushort> models)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Fail(ref reader, bytes, "$.models", "\"models\" must be an object of model identifier to Index");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Model identifiers are exact, case-sensitive strings; commas are part of them (MacPro1,1,Quad).
            string model = reader.GetString()!;
            string path = $"$.models[\"{model}\"]";
            if (model.Trim().Length == 0) throw Fail(ref reader, bytes, path, "model identifier is empty");
            if (models.ContainsKey(model)) throw Fail(ref reader, bytes, path, $"model \"{model}\" appears twice");
            reader.Read();
            models[model] = ReadIndex(ref reader, bytes, path);
        }
    }

    private static ushort ReadIndex(ref Utf8JsonReader reader, byte[] bytes, string path)
    {
        if (reader.TokenType != JsonTokenType.Number) throw Fail(ref reader, bytes, path, $"expected an NBI Index (1-65535), found {reader.TokenType}");
        if (!reader.TryGetInt64(out long v) || v is < 1 or > 65535)
        {
            throw Fail(ref reader, bytes, path, $"Index {Encoding.UTF8.GetString(reader.ValueSpan)} is outside 1-65535");
        }

        return (ushort)v;
    }

    private static ModelMappingException Fail(ref Utf8JsonReader reader, byte[] bytes, string path, string reason)
    {
        // Utf8JsonReader only knows the byte offset; turn it into line/column for the administrator.
        int offset = (int)Math.Min(reader.TokenStartIndex, bytes.Length);
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n') { line++; lineStart = i + 1; }
        }

        int column = offset - lineStart + 1;
        return new ModelMappingException($"model mapping, line {line}, column {column} ({path}): {reason}", line, column);
    }
}

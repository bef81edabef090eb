using System.Collections.Immutable;
using System.Globalization;
using System.Xml;

namespace CoreConsole.NetBoot.Plist;

/// <summary>
/// Reader for Apple XML plists (old "Apple Computer" and new "Apple" DOCTYPEs alike). The DOCTYPE is ignored and no
/// external resource is ever resolved, so entity-expansion and XXE attacks have nothing to work with.
/// </summary>
internal sealed class XmlPlistReader
{
    private readonly XmlReader _xml;
    private readonly PlistReaderOptions _options;
    private int _depth;
    private int _values;

    private XmlPlistReader(XmlReader xml, PlistReaderOptions options)
    {
        _xml = xml;
        _options = options;
    }

    public static PlistValue Read(ReadOnlySpan<byte> bytes, PlistReaderOptions options)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = options.MaxInputBytes,
        };

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var xml = XmlReader.Create(stream, settings);
        var reader = new XmlPlistReader(xml, options);
        try
        {
            return reader.ReadDocument();
        }
        catch (XmlException e)
        {
            throw new PlistException(PlistFormat.Xml, $"line {e.LineNumber}, column {e.LinePosition}", $"malformed XML: {e.Message}", e);
        }
    }

    private string Position => _xml is IXmlLineInfo li && li.HasLineInfo() ? $"line {li.LineNumber}, column {li.LinePosition}" : "unknown position";

    private PlistException Fail(string reason) => new(PlistFormat.Xml, Position, reason);

    private PlistValue ReadDocument()
    {
        if (_xml.MoveToContent() != XmlNodeType.Element) throw Fail("no root element (not an XML plist)");
        if (_xml.Name != "plist") throw Fail($"root element is <{_xml.Name}>, expected <plist>");
        if (_xml.IsEmptyElement) throw Fail("<plist> is empty");

        _xml.Read();
        if (_xml.MoveToContent() != XmlNodeType.Element) throw Fail("<plist> contains no value");
        var value = ReadValue();
        if (_xml.MoveToContent() != XmlNodeType.EndElement) throw Fail($"<plist> contains more than one value (found <{_xml.Name}>)");
        _xml.Read();
        if (_xml.MoveToContent() != XmlNodeType.None) throw Fail("content after </plist>");
        return value;
    }

    /// <summary>Reads the element the reader is on and leaves the reader just after it.</summary>
    private PlistValue ReadValue()
    {
        if (++_values > _options.MaxObjects) throw Fail($"more than {_options.MaxObjects} values");
        string name = _xml.Name;
        switch (name)
        {
            case "dict": return Nested(ReadDict);
            case "array": return Nested(ReadArray);
            case "true": return Empty(PlistBoolean.True);
            case "false": return Empty(PlistBoolean.False);
            case "string": return new PlistString(Text());
            case "integer": return ParseInteger(Text());
            case "real": return ParseReal(Text());
            case "date": return ParseDate(Text());
            case "data": return ParseData(Text());
            default: throw Fail($"unknown plist element <{name}>");
        }
    }

    private PlistValue Nested(Func<PlistValue> read)
    {
        if (++_depth > _options.MaxDepth) throw Fail($"nesting deeper than {_options.MaxDepth}");
        var v = read();
        _depth--;
        return v;
    }

    private PlistValue Empty(PlistBoolean value)
    {
        if (_xml.IsEmptyElement)
        {
            _xml.Read();
            return value;
        }

        string name = _xml.Name;
        _xml.Read();
        if (_xml.MoveToContent() != XmlNodeType.EndElement) throw Fail($"<{name}> must be empty");
        _xml.Read();
        return value;
    }

    private string Text()
    {
        string name = _xml.Name;
        if (_xml.IsEmptyElement)
        {
            _xml.Read();
            return "";
        }

        _xml.Read();
        var text = new System.Text.StringBuilder();
        while (_xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
        {
            text.Append(_xml.Value);
            _xml.Read();
        }

        if (_xml.NodeType != XmlNodeType.EndElement) throw Fail($"<{name}> contains an element <{_xml.Name}>; only text is allowed");
        _xml.Read();
        return text.ToString();
    }

    private PlistArray ReadArray()
    {
        var items = ImmutableArray.CreateBuilder<PlistValue>();
        if (_xml.IsEmptyElement)
        {
            _xml.Read();
            return new PlistArray(items.ToImmutable());
        }

        _xml.Read();
        while (_xml.MoveToContent() == XmlNodeType.Element) items.Add(ReadValue());
        ExpectEnd("array");
        return new PlistArray(items.ToImmutable());
    }

    private PlistDictionary ReadDict()
    {
        var dict = ImmutableDictionary.CreateBuilder<string, PlistValue>(StringComparer.Ordinal);
        if (_xml.IsEmptyElement)
        {
            _xml.Read();
            return new PlistDictionary(dict.ToImmutable());
        }

        _xml.Read();
        while (_xml.MoveToContent() == XmlNodeType.Element)
        {
            if (_xml.Name != "key") throw Fail($"expected <key> in <dict>, found <{_xml.Name}>");
            string keyPosition = Position;
            string key = Text();
            if (_xml.MoveToContent() != XmlNodeType.Element) throw Fail($"key \"{key}\" has no value");
            if (dict.ContainsKey(key)) throw new PlistException(PlistFormat.Xml, keyPosition, $"duplicate key \"{key}\"");
            dict[key] = ReadValue();
        }

        ExpectEnd("dict");
        return new PlistDictionary(dict.ToImmutable());
    }

    private void ExpectEnd(string name)
    {
        if (_xml.NodeType != XmlNodeType.EndElement) throw Fail($"unexpected {_xml.NodeType} in <{name}>");
        _xml.Read();
    }

    private PlistInteger ParseInteger(string text)
    {
        string s = text.Trim();
        bool negative = s.StartsWith('-');
        string digits = s.TrimStart('+', '-');
        ulong magnitude = 0;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            // CoreFoundation accepts hexadecimal integers with a 0x prefix.
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude)
            : digits.Length > 0 && digits.All(char.IsAsciiDigit) &&
              ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);

        if (!ok || s.Length - digits.Length > 1) throw Fail($"\"{text}\" is not an integer");
        if (negative ? magnitude > 1UL << 63 : magnitude > long.MaxValue) throw Fail($"integer {s} does not fit in 64 bits");
        return new PlistInteger(negative ? (long)(0 - magnitude) : (long)magnitude);
    }

    private PlistReal ParseReal(string text)
    {
        string s = text.Trim();
        double v = s.ToLowerInvariant() switch
        {
            "nan" => double.NaN,
            "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Fail($"\"{text}\" is not a real"),
        };
        return new PlistReal(v);
    }

    private PlistDate ParseDate(string text)
    {
        // Apple writes ISO 8601 in UTC with a Z suffix, e.g. 2024-01-31T12:00:00Z.
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
        if (DateTimeOffset.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
        {
            return new PlistDate(d);
        }

        throw Fail($"\"{text}\" is not an ISO 8601 UTC date (yyyy-MM-ddTHH:mm:ssZ)");
    }

    private PlistData ParseData(string text)
    {
        // Base64 in plists is wrapped and indented; strip all whitespace first.
        string compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        try
        {
            return new PlistData(ImmutableArray.Create(Convert.FromBase64String(compact)));
        }
        catch (FormatException)
        {
            throw Fail("<data> is not valid base64");
        }
    }
}

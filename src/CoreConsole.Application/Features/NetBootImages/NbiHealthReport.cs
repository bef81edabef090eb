using System.Text.Json;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>One file a Mac (or a representative) will fetch, as the last health check found it.</summary>
/// <param name="Role">What it is: <c>booter (i386)</c>, <c>kernel cache (x86_64)</c>, <c>root DMG</c>.</param>
/// <param name="RelativePath">Path inside the .nbi folder; null for an indirect (full URL) root path.</param>
/// <param name="Required">A missing optional file (a kernel cache) is noted, not a fault.</param>
public sealed record NbiFileCheck(string Role, string Url, string? RelativePath, bool Required, int? Status, string? ContentType, long? Size, string? Error)
{
    public bool Ok => Error is null && Status is >= 200 and < 300;
}

/// <summary>The stored result of checking one image: every file, and every problem in words.</summary>
public sealed record NbiHealthReport(DateTimeOffset CheckedAt, IReadOnlyList<NbiFileCheck> Files, IReadOnlyList<string> Problems)
{
    public bool Healthy => Problems.Count == 0;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static NbiHealthReport? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<NbiHealthReport>(json, Json);
}

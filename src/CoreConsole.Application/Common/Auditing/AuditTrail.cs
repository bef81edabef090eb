using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoreConsole.Application.Common.Auditing;

/// <summary>Marks a state-changing command; <c>AuditBehavior</c> writes an AuditEntry for every successful one.</summary>
public interface IAuditedCommand;

/// <summary>Keeps a property (a password, a secret) out of the audit log.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>One change a handler reports: the entity and its state before and after.</summary>
public sealed record AuditChange(string EntityType, string? EntityId, object? Before, object? After, string? Summary = null);

/// <summary>
/// Collects what the running command changed. AuditBehavior opens a trail per message (AsyncLocal, so nested or
/// concurrent messages on one circuit do not mix) and writes it after the handler succeeds.
/// </summary>
public static class AuditTrail
{
    private static readonly AsyncLocal<List<AuditChange>?> Current = new();

    internal static List<AuditChange> Begin() => Current.Value = [];
    internal static void End() => Current.Value = null;

    /// <summary>Record a change; outside an audited command this is a no-op.</summary>
    public static void Record(string entityType, object? entityId, object? before, object? after, string? summary = null) =>
        Current.Value?.Add(new AuditChange(entityType, entityId?.ToString(), before, after, summary));

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                static info =>
                {
                    foreach (var p in info.Properties)
                        if (p.AttributeProvider?.IsDefined(typeof(NotAuditedAttribute), true) == true)
                            p.ShouldSerialize = static (_, _) => false;
                },
            },
        },
    };

    public static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Json);
}

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CoreConsole.Application.Common.Persistence;

/// <summary>Stores DateTimeOffset as UTC ticks (SQLite only) so ordering and range filters translate to SQL.</summary>
internal static class DateTimeOffsetTicksConverter
{
    public static readonly ValueConverter<DateTimeOffset, long> Instance =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly ValueConverter<DateTimeOffset?, long?> Nullable =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}

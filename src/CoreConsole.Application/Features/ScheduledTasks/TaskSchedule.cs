using Cronos;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>Time-zone and cron arithmetic for task schedules (Cronos does the cron part, DST included).</summary>
public static class TaskSchedule
{
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> as an instant. Times skipped by a DST jump move forward an hour.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }

    public static bool TryParseCron(string? expression, out CronExpression? cron)
    {
        cron = null;
        if (string.IsNullOrWhiteSpace(expression)) return false;
        try
        {
            cron = CronExpression.Parse(expression.Trim(), CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    /// <summary>The next time the expression fires strictly after <paramref name="after"/>, or null when it never does.</summary>
    public static DateTimeOffset? NextOccurrence(string expression, TimeZoneInfo zone, DateTimeOffset after) =>
        TryParseCron(expression, out var cron) ? cron!.GetNextOccurrence(after, zone) : null;
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>How a task reaches its targets.</summary>
public enum TaskDelivery
{
    /// <summary>Targets wait; agents take the work when they next poll policy.</summary>
    Policy,
    /// <summary>The core calls each agent's push listener; unreachable agents end Offline.</summary>
    Push,
    /// <summary>Push first; agents that cannot be reached wait for policy instead of failing.</summary>
    PolicySupportedPush,
}

public enum TaskScheduleKind { Now, At, Recurring }

public enum ScheduledTaskState
{
    /// <summary>Waiting for its start time (or its next recurrence).</summary>
    Scheduled,
    /// <summary>Targets are being worked on or wait for agents.</summary>
    Running,
    /// <summary>Every target is in a terminal state.</summary>
    Completed,
    Cancelled,
}

/// <summary>A "Change settings" task: one setting revision to a set of targets, delivered one way, on a schedule.</summary>
public sealed class ScheduledTask : IVersioned
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid SettingId { get; set; }
    public Guid SettingRevisionId { get; set; }
    public int SettingRevisionNumber { get; set; }
    public TaskDelivery Delivery { get; set; }
    public PortalMode Portal { get; set; }
    public TaskScheduleKind ScheduleKind { get; set; }
    /// <summary>For <see cref="TaskScheduleKind.At"/>: when, in UTC.</summary>
    public DateTimeOffset? RunAt { get; set; }
    /// <summary>For <see cref="TaskScheduleKind.Recurring"/>: a 5-field cron expression, evaluated in <see cref="TimeZoneId"/>.</summary>
    public string? CronExpression { get; set; }
    /// <summary>The time zone the admin scheduled in (IANA or Windows id).</summary>
    public required string TimeZoneId { get; set; }
    public ScheduledTaskState State { get; set; }
    /// <summary>When the next occurrence is due (null when none is).</summary>
    public DateTimeOffset? NextRunAt { get; set; }
    /// <summary>How many occurrences have resolved their targets; an occurrence resolves once, even if it runs again after a crash.</summary>
    public int ResolvedOccurrences { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public List<TaskTarget> Targets { get; set; } = [];
    public int Version { get; set; }
}

public enum TaskTargetKind { Device, Subnet, Query }

/// <summary>What the admin chose as a target (resolved to devices when an occurrence starts).</summary>
public sealed class TaskTarget
{
    public int Id { get; set; }
    public Guid TaskId { get; set; }
    public TaskTargetKind Kind { get; set; }
    public Guid RefId { get; set; }
    /// <summary>The name when chosen, so the task still reads well if the target is later deleted.</summary>
    public string Label { get; set; } = "";
}

/// <summary>
/// One device's part in a task. <see cref="Id"/> is the workId on the wire: the agent applies each (workId, revisionId) once,
/// and (task, agent, revision) is unique here, so a device gets a given revision from a task at most once.
/// </summary>
public sealed class TaskTargetResult
{
    public Guid Id { get; set; }
    public Guid TaskId { get; set; }
    public Guid AgentId { get; set; }
    public Guid DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    public Guid SettingRevisionId { get; set; }
    public TargetState State { get; set; }
    /// <summary>Delivery attempts so far (push calls).</summary>
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class ScheduledTaskConfiguration : IEntityTypeConfiguration<ScheduledTask>
{
    public void Configure(EntityTypeBuilder<ScheduledTask> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Delivery).HasConversion<string>().HasMaxLength(24);
        b.Property(x => x.Portal).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ScheduleKind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CronExpression).HasMaxLength(128);
        b.Property(x => x.TimeZoneId).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasMany(x => x.Targets).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        // The revision must outlive the task (a profile in use by a task cannot be deleted).
        b.HasOne<AgentSettings.AgentSettingRevision>().WithMany().HasForeignKey(x => x.SettingRevisionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SettingId);
        b.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class TaskTargetConfiguration : IEntityTypeConfiguration<TaskTarget>
{
    public void Configure(EntityTypeBuilder<TaskTarget> b)
    {
        b.ToTable("TaskTargets");
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Label).HasMaxLength(256);
    }
}

internal sealed class TaskTargetResultConfiguration : IEntityTypeConfiguration<TaskTargetResult>
{
    public void Configure(EntityTypeBuilder<TaskTargetResult> b)
    {
        b.ToTable("TaskTargetResults");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.DeviceName).HasMaxLength(255);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.LastError).HasMaxLength(1024);
        b.HasOne<ScheduledTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.TaskId, x.AgentId, x.SettingRevisionId }).IsUnique();
        b.HasIndex(x => new { x.TaskId, x.State });
        b.HasIndex(x => new { x.AgentId, x.State });
        b.HasIndex(x => new { x.State, x.UpdatedAt });
    }
}

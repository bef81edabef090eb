using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Contracts.Agents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.AgentSettings;

// The Agent settings page's commands. Editors may change profiles; each value change writes a new immutable revision.

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record CreateAgentSettingCommand(
    string Name, string? Description, bool EnableSubnetServices, bool EnablePxe, int CheckInIntervalSeconds, int PolicyIntervalSeconds)
    : ICommand<Result<Guid>>, IAuditedCommand, IAgentSettingForm;

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record UpdateAgentSettingCommand(
    Guid Id, int Version, string Name, string? Description, bool EnableSubnetServices, bool EnablePxe, int CheckInIntervalSeconds, int PolicyIntervalSeconds)
    : ICommand<Result>, IAuditedCommand, IAgentSettingForm;

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record CloneAgentSettingCommand(Guid Id, string Name) : ICommand<Result<Guid>>, IAuditedCommand;

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record DeleteAgentSettingCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record SetDefaultAgentSettingCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

/// <summary>The fields the create and edit forms share, so one validator covers both.</summary>
public interface IAgentSettingForm
{
    string Name { get; }
    string? Description { get; }
    bool EnableSubnetServices { get; }
    bool EnablePxe { get; }
    int CheckInIntervalSeconds { get; }
    int PolicyIntervalSeconds { get; }
}

public sealed class AgentSettingFormRules : AbstractValidator<IAgentSettingForm>
{
    public AgentSettingFormRules()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter a name.")
            .MaximumLength(AgentSettingLimits.NameMaxLength).WithMessage($"Use at most {AgentSettingLimits.NameMaxLength} characters.");
        RuleFor(x => x.Description).MaximumLength(1000);
        RuleFor(x => x.CheckInIntervalSeconds)
            .InclusiveBetween(AgentSettingLimits.MinCheckInSeconds, AgentSettingLimits.MaxCheckInSeconds)
            .WithMessage($"Check in every {AgentSettingLimits.MinCheckInSeconds}–{AgentSettingLimits.MaxCheckInSeconds} seconds.");
        RuleFor(x => x.PolicyIntervalSeconds)
            .InclusiveBetween(AgentSettingLimits.MinPolicySeconds, AgentSettingLimits.MaxPolicySeconds)
            .WithMessage($"Poll policy every {AgentSettingLimits.MinPolicySeconds}–{AgentSettingLimits.MaxPolicySeconds} seconds.");
        RuleFor(x => x.EnablePxe).Must((form, pxe) => !pxe || form.EnableSubnetServices)
            .WithMessage("The PXE service runs only on agents that take part in self-electing subnet services; turn those on too.");
    }
}

public sealed class CreateAgentSettingValidator : AbstractValidator<CreateAgentSettingCommand>
{
    public CreateAgentSettingValidator() => Include(new AgentSettingFormRules());
}

public sealed class UpdateAgentSettingValidator : AbstractValidator<UpdateAgentSettingCommand>
{
    public UpdateAgentSettingValidator()
    {
        RuleFor(x => x.Id).NotEmpty();
        Include(new AgentSettingFormRules());
    }
}

public sealed class CloneAgentSettingValidator : AbstractValidator<CloneAgentSettingCommand>
{
    public CloneAgentSettingValidator()
    {
        RuleFor(x => x.Id).NotEmpty();
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter a name.").MaximumLength(AgentSettingLimits.NameMaxLength);
    }
}

public sealed class ManageAgentSettingsHandler(IDbContextFactory<AppDbContext> dbFactory, DesiredSettings desired, ICurrentUser currentUser, TimeProvider clock) :
    ICommandHandler<CreateAgentSettingCommand, Result<Guid>>,
    ICommandHandler<UpdateAgentSettingCommand, Result>,
    ICommandHandler<CloneAgentSettingCommand, Result<Guid>>,
    ICommandHandler<DeleteAgentSettingCommand, Result>,
    ICommandHandler<SetDefaultAgentSettingCommand, Result>
{
    public async ValueTask<Result<Guid>> Handle(CreateAgentSettingCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = c.Name.Trim();
        if (await db.AgentSettings.AnyAsync(s => s.Name == name, ct))
            return Error.Validation(nameof(c.Name), "A setting with this name already exists.");
        var user = await currentUser.GetAsync(ct);
        var setting = await AddAsync(db, name, c.Description, ValuesOf(c), isDefault: false, clock.GetUtcNow(), user.Name, ct);
        AuditTrail.Record(nameof(AgentSetting), setting.Id, null, ValuesOf(c), $"Agent setting {name} created (revision 1)");
        return setting.Id;
    }

    public async ValueTask<Result> Handle(UpdateAgentSettingCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var setting = await db.AgentSettings.FirstOrDefaultAsync(s => s.Id == c.Id, ct);
        if (setting is null) return Error.NotFound("The agent setting");
        db.Entry(setting).Property(s => s.Version).OriginalValue = c.Version; // a stale form → Conflict
        var name = c.Name.Trim();
        if (await db.AgentSettings.AnyAsync(s => s.Name == name && s.Id != c.Id, ct))
            return Error.Validation(nameof(c.Name), "A setting with this name already exists.");

        var current = await db.AgentSettingRevisions.AsNoTracking().FirstAsync(r => r.Id == setting.CurrentRevisionId, ct);
        var values = ValuesOf(c);
        var now = clock.GetUtcNow();
        var summary = $"Agent setting {name} saved";
        if (values != current.Values)
        {
            var user = await currentUser.GetAsync(ct);
            var revision = AgentSettingRevision.Create(setting.Id, current.Number + 1, values, now, user.Name);
            db.AgentSettingRevisions.Add(revision);
            setting.CurrentRevisionId = revision.Id;
            setting.CurrentRevisionNumber = revision.Number;
            summary += $" as revision {revision.Number}";
        }
        var before = new { setting.Name, setting.Description, Values = current.Values };
        setting.Name = name;
        setting.Description = Clean(c.Description);
        setting.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        desired.Invalidate();
        AuditTrail.Record(nameof(AgentSetting), setting.Id, before, new { setting.Name, setting.Description, Values = values }, summary);
        return Result.Ok();
    }

    public async ValueTask<Result<Guid>> Handle(CloneAgentSettingCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.AgentSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == c.Id, ct);
        if (source is null) return Error.NotFound("The agent setting");
        var name = c.Name.Trim();
        if (await db.AgentSettings.AnyAsync(s => s.Name == name, ct))
            return Error.Validation(nameof(c.Name), "A setting with this name already exists.");
        var revision = await db.AgentSettingRevisions.AsNoTracking().FirstAsync(r => r.Id == source.CurrentRevisionId, ct);
        var user = await currentUser.GetAsync(ct);
        var clone = await AddAsync(db, name, source.Description, revision.Values, isDefault: false, clock.GetUtcNow(), user.Name, ct);
        AuditTrail.Record(nameof(AgentSetting), clone.Id, null, revision.Values, $"Agent setting {name} cloned from {source.Name} revision {revision.Number}");
        return clone.Id;
    }

    public async ValueTask<Result> Handle(DeleteAgentSettingCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var setting = await db.AgentSettings.FirstOrDefaultAsync(s => s.Id == c.Id, ct);
        if (setting is null) return Error.NotFound("The agent setting");
        if (setting.IsDefault) return Error.Conflict("This is the default setting; make another setting the default before deleting it.");
        if (await AgentSettingUsage.DescribeAsync(db, setting.Id, ct) is { } use)
            return Error.Conflict($"{setting.Name} is in use by {use}; it cannot be deleted.");
        db.AgentSettings.Remove(setting);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record(nameof(AgentSetting), setting.Id, new { setting.Name }, null, $"Agent setting {setting.Name} deleted");
        return Result.Ok();
    }

    public async ValueTask<Result> Handle(SetDefaultAgentSettingCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var setting = await db.AgentSettings.FirstOrDefaultAsync(s => s.Id == c.Id, ct);
        if (setting is null) return Error.NotFound("The agent setting");
        if (setting.IsDefault) return Result.Ok();
        var previous = await db.AgentSettings.Where(s => s.IsDefault).ToListAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var p in previous) p.IsDefault = false;
        await db.SaveChangesAsync(ct); // clear first: the unique filtered index allows one default at a time
        setting.IsDefault = true;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        desired.Invalidate();
        AuditTrail.Record(nameof(AgentSetting), setting.Id, new { Default = previous.Select(p => p.Name).FirstOrDefault() }, new { Default = setting.Name },
            $"{setting.Name} is now the default agent setting");
        return Result.Ok();
    }

    /// <summary>Adds a profile with its first revision.</summary>
    internal static async Task<AgentSetting> AddAsync(AppDbContext db, string name, string? description, AgentSettingValues values, bool isDefault,
        DateTimeOffset now, string? by, CancellationToken ct)
    {
        var setting = new AgentSetting { Id = Guid.NewGuid(), Name = name, Description = Clean(description), IsDefault = isDefault, CreatedAt = now, UpdatedAt = now };
        var revision = AgentSettingRevision.Create(setting.Id, 1, values, now, by);
        setting.CurrentRevisionId = revision.Id;
        setting.CurrentRevisionNumber = 1;
        db.AgentSettings.Add(setting);
        db.AgentSettingRevisions.Add(revision);
        await db.SaveChangesAsync(ct);
        return setting;
    }

    private static AgentSettingValues ValuesOf(IAgentSettingForm f) => new()
    {
        EnableSubnetServices = f.EnableSubnetServices, EnablePxe = f.EnablePxe,
        CheckInIntervalSeconds = f.CheckInIntervalSeconds, PolicyIntervalSeconds = f.PolicyIntervalSeconds,
    };

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

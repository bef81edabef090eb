using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoreConsole.Application.Features.ScheduledTasks;

/// <summary>
/// A named inventory filter a task can target: devices whose model and OS contain the given text and, optionally, that sit
/// on one subnet. Evaluated when a task occurrence starts, so it picks up machines enrolled since it was saved.
/// </summary>
public sealed class SavedInventoryQuery
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? ModelContains { get; set; }
    public string? OsContains { get; set; }
    public Guid? SubnetId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SavedInventoryQueryConfiguration : IEntityTypeConfiguration<SavedInventoryQuery>
{
    public void Configure(EntityTypeBuilder<SavedInventoryQuery> b)
    {
        b.ToTable("SavedInventoryQueries");
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.ModelContains).HasMaxLength(128);
        b.Property(x => x.OsContains).HasMaxLength(128);
        b.HasIndex(x => x.Name).IsUnique();
    }
}

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record CreateSavedInventoryQueryCommand(string Name, string? ModelContains, string? OsContains, Guid? SubnetId)
    : ICommand<Result<Guid>>, IAuditedCommand;

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record DeleteSavedInventoryQueryCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

public sealed record ListSavedInventoryQueriesQuery : IQuery<IReadOnlyList<SavedInventoryQuery>>;

public sealed class CreateSavedInventoryQueryValidator : AbstractValidator<CreateSavedInventoryQueryCommand>
{
    public CreateSavedInventoryQueryValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter a name.").MaximumLength(100);
        RuleFor(x => x.ModelContains).MaximumLength(128);
        RuleFor(x => x.OsContains).MaximumLength(128);
        RuleFor(x => x).Must(x => !string.IsNullOrWhiteSpace(x.ModelContains) || !string.IsNullOrWhiteSpace(x.OsContains) || x.SubnetId is not null)
            .WithName(nameof(CreateSavedInventoryQueryCommand.ModelContains))
            .OverridePropertyName(nameof(CreateSavedInventoryQueryCommand.ModelContains))
            .WithMessage("Give at least one filter (model, OS or subnet); a query matching everything is a mistake waiting to happen.");
    }
}

public sealed class SavedInventoryQueryHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) :
    ICommandHandler<CreateSavedInventoryQueryCommand, Result<Guid>>,
    ICommandHandler<DeleteSavedInventoryQueryCommand, Result>,
    IQueryHandler<ListSavedInventoryQueriesQuery, IReadOnlyList<SavedInventoryQuery>>
{
    public async ValueTask<Result<Guid>> Handle(CreateSavedInventoryQueryCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = c.Name.Trim();
        if (await db.SavedInventoryQueries.AnyAsync(q => q.Name == name, ct))
            return Error.Validation(nameof(c.Name), "A saved query with this name already exists.");
        if (c.SubnetId is { } subnetId && !await db.Subnets.AnyAsync(s => s.Id == subnetId, ct))
            return Error.Validation(nameof(c.SubnetId), "This subnet no longer exists.");
        var query = new SavedInventoryQuery
        {
            Id = Guid.NewGuid(), Name = name, ModelContains = Clean(c.ModelContains), OsContains = Clean(c.OsContains), SubnetId = c.SubnetId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.SavedInventoryQueries.Add(query);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record(nameof(SavedInventoryQuery), query.Id, null, new { query.Name, query.ModelContains, query.OsContains, query.SubnetId }, $"Saved query {name} created");
        return query.Id;
    }

    public async ValueTask<Result> Handle(DeleteSavedInventoryQueryCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await db.SavedInventoryQueries.FirstOrDefaultAsync(q => q.Id == c.Id, ct);
        if (query is null) return Error.NotFound("The saved query");
        db.SavedInventoryQueries.Remove(query);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record(nameof(SavedInventoryQuery), query.Id, new { query.Name }, null, $"Saved query {query.Name} deleted");
        return Result.Ok();
    }

    public async ValueTask<IReadOnlyList<SavedInventoryQuery>> Handle(ListSavedInventoryQueriesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SavedInventoryQueries.AsNoTracking().OrderBy(x => x.Name).ToListAsync(ct);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Agents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Inventory;

/// <summary>Create a token; the reply carries the token text, which is shown once and never stored.</summary>
[RequiresRole(Roles.Administrator)]
/// <remarks><paramref name="PresetToken"/> is for headless set-up (<c>Setup:EnrollmentToken</c>); the console always generates one.</remarks>
public sealed record CreateEnrollmentTokenCommand(string Name, DateTimeOffset? ExpiresAt, int? MaxUses, [property: NotAudited] string? PresetToken = null)
    : ICommand<Result<CreatedEnrollmentToken>>, IAuditedCommand;

public sealed record CreatedEnrollmentToken(Guid Id, [property: NotAudited] string Token);

[RequiresRole(Roles.Administrator)]
public sealed record RevokeEnrollmentTokenCommand(Guid Id) : ICommand<Result>, IAuditedCommand;

/// <summary>Revoke an agent: its calls are refused (401) until it re-enrols with a valid token.</summary>
[RequiresRole(Roles.Administrator)]
public sealed record RevokeAgentCommand(Guid AgentId) : ICommand<Result>, IAuditedCommand;

public sealed record EnrollmentTokenRow(
    Guid Id, string Name, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, int? MaxUses, int UseCount,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, EnrollmentTokenState State);

public sealed record ListEnrollmentTokensQuery(bool IncludeInactive = true) : IQuery<IReadOnlyList<EnrollmentTokenRow>>;

public sealed class CreateEnrollmentTokenValidator : AbstractValidator<CreateEnrollmentTokenCommand>
{
    public CreateEnrollmentTokenValidator(TimeProvider clock)
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Give the token a name (where or for whom it is used).").PlainText(128);
        RuleFor(x => x.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("The expiry must be in the future.");
        RuleFor(x => x.PresetToken).MinimumLength(16).MaximumLength(256).When(x => x.PresetToken is not null)
            .WithMessage("A preset token needs at least 16 characters.");
        RuleFor(x => x.MaxUses).InclusiveBetween(1, 1_000_000).When(x => x.MaxUses is not null).WithMessage("Allow between 1 and 1,000,000 uses (or leave empty for unlimited).");
    }
}

public sealed class ManageEnrollmentTokensHandler(
    IDbContextFactory<AppDbContext> dbFactory, ICurrentUser currentUser, TimeProvider clock,
    AgentCredentialCache credentials, AgentStateCache states) :
    ICommandHandler<CreateEnrollmentTokenCommand, Result<CreatedEnrollmentToken>>,
    ICommandHandler<RevokeEnrollmentTokenCommand, Result>,
    ICommandHandler<RevokeAgentCommand, Result>,
    IQueryHandler<ListEnrollmentTokensQuery, IReadOnlyList<EnrollmentTokenRow>>
{
    public async ValueTask<Result<CreatedEnrollmentToken>> Handle(CreateEnrollmentTokenCommand c, CancellationToken ct)
    {
        var user = await currentUser.GetAsync(ct);
        var text = c.PresetToken ?? EnrollmentTokens.Generate();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (c.PresetToken is not null && await db.EnrollmentTokens.AnyAsync(t => t.TokenHash == EnrollmentTokens.Hash(text), ct))
            return Error.Conflict("This token already exists.");
        var token = new EnrollmentToken
        {
            Id = Guid.NewGuid(), Name = c.Name.Trim(), TokenHash = EnrollmentTokens.Hash(text), CreatedAt = clock.GetUtcNow(),
            CreatedBy = user.Name, ExpiresAt = c.ExpiresAt, MaxUses = c.MaxUses,
        };
        db.EnrollmentTokens.Add(token);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record("EnrollmentToken", token.Id, null, new { token.Name, token.ExpiresAt, token.MaxUses },
            $"Enrolment token '{token.Name}' created ({(token.MaxUses is { } m ? $"{m} use(s)" : "unlimited uses")}, {(token.ExpiresAt is { } e ? $"expires {e:u}" : "no expiry")})");
        return new CreatedEnrollmentToken(token.Id, text);
    }

    public async ValueTask<Result> Handle(RevokeEnrollmentTokenCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.EnrollmentTokens.FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (token is null) return Error.NotFound("The enrolment token");
        if (token.RevokedAt is not null) return Result.Ok();
        token.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        AuditTrail.Record("EnrollmentToken", token.Id, new { RevokedAt = (DateTimeOffset?)null }, new { token.RevokedAt }, $"Enrolment token '{token.Name}' revoked after {token.UseCount} use(s)");
        return Result.Ok();
    }

    public async ValueTask<Result> Handle(RevokeAgentCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await db.Agents.Include(a => a.Device).FirstOrDefaultAsync(a => a.Id == c.AgentId, ct);
        if (agent is null) return Error.NotFound("The agent");
        if (agent.RevokedAt is not null) return Result.Ok();
        agent.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        credentials.Invalidate(agent.Id);
        states.Invalidate(agent.Id);
        AuditTrail.Record("Agent", agent.Id, new { RevokedAt = (DateTimeOffset?)null }, new { agent.RevokedAt }, $"Agent of {agent.Device?.HostName} revoked");
        return Result.Ok();
    }

    public async ValueTask<IReadOnlyList<EnrollmentTokenRow>> Handle(ListEnrollmentTokensQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var tokens = await db.EnrollmentTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(500).ToListAsync(ct);
        return tokens.Select(t => new EnrollmentTokenRow(t.Id, t.Name, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.MaxUses, t.UseCount, t.LastUsedAt, t.RevokedAt, t.StateAt(now)))
            .Where(t => q.IncludeInactive || t.State == EnrollmentTokenState.Active).ToList();
    }
}

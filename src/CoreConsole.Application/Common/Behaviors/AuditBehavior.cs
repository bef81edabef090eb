using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Common.Behaviors;

/// <summary>
/// Writes an AuditEntry for every successful <see cref="IAuditedCommand"/>: user, time, action and the before → after
/// the handler recorded through <see cref="AuditTrail"/> (or, if it recorded nothing, the command itself minus [NotAudited] fields).
/// </summary>
public sealed class AuditBehavior<TMessage, TResponse>(ICurrentUser currentUser, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IAuditedCommand) return await next(message, ct);

        var changes = AuditTrail.Begin();
        TResponse response;
        try
        {
            response = await next(message, ct);
        }
        finally
        {
            AuditTrail.End();
        }
        if (response is IResult { IsSuccess: false }) return response;

        var user = await currentUser.GetAsync(ct);
        var action = typeof(TMessage).Name.EndsWith("Command", StringComparison.Ordinal) ? typeof(TMessage).Name[..^"Command".Length] : typeof(TMessage).Name;
        if (changes.Count == 0) changes.Add(new AuditChange(action, null, null, message));

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        foreach (var c in changes)
            db.AuditEntries.Add(new AuditEntry
            {
                At = now,
                UserId = user.UserId,
                UserName = user.IsAuthenticated ? user.Name : "anonymous (first-run setup)",
                Action = action,
                EntityType = c.EntityType,
                EntityId = c.EntityId,
                Before = AuditTrail.Serialize(c.Before),
                After = AuditTrail.Serialize(c.After),
                Summary = c.Summary,
            });
        // The change itself is already committed; never lose the audit line to a cancelled circuit.
        await db.SaveChangesAsync(CancellationToken.None);
        return response;
    }
}

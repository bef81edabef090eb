using CoreConsole.Application.Common.Results;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Common.Behaviors;

/// <summary>A stale save (another tab or admin changed the row first) becomes a Conflict result, never a silent overwrite.</summary>
public sealed class ConcurrencyBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        try
        {
            return await next(message, ct);
        }
        catch (DbUpdateConcurrencyException) when (ResultFactory<TResponse>.CanFail)
        {
            return ResultFactory<TResponse>.Fail(Error.Conflict(
                "Someone else changed this while you were editing. Reload to see their change, then apply yours again."));
        }
    }
}

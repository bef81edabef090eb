using System.Diagnostics;
using CoreConsole.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Common.Behaviors;

/// <summary>Outermost behavior: one structured line per message with its outcome and duration.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, ct);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response is IResult { IsSuccess: false, Error: { } e })
                logger.LogInformation("{Message} failed ({ErrorKind}: {Error}) in {ElapsedMs:F1} ms", typeof(TMessage).Name, e.Kind, e.Message, ms);
            else
                logger.LogDebug("Handled {Message} in {ElapsedMs:F1} ms", typeof(TMessage).Name, ms);
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Message} threw after {ElapsedMs:F1} ms", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}

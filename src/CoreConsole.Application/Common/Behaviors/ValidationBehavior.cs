using CoreConsole.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace CoreConsole.Application.Common.Behaviors;

/// <summary>
/// Runs the message's FluentValidation validators (the same ones the forms use) before the handler.
/// Invalid input becomes a Validation error with per-field messages and the handler never runs, so nothing changes.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        Dictionary<string, List<string>>? errors = null;
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, ct);
            foreach (var failure in result.Errors)
            {
                errors ??= new(StringComparer.Ordinal);
                if (!errors.TryGetValue(failure.PropertyName, out var list)) errors[failure.PropertyName] = list = [];
                list.Add(failure.ErrorMessage);
            }
        }
        if (errors is null) return await next(message, ct);

        var fields = errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
        return ResultFactory<TResponse>.CanFail
            ? ResultFactory<TResponse>.Fail(Error.Validation(fields))
            : throw new ValidationException(errors.SelectMany(e => e.Value.Select(m => new FluentValidation.Results.ValidationFailure(e.Key, m))));
    }
}

using FluentValidation;

namespace CoreConsole.Web.Components.Shared;

/// <summary>
/// Adapts a command's FluentValidation validator to MudForm's per-field Validation func, so forms show exactly
/// the messages the pipeline would return (one set of rules, checked in the browser and where the change is handled).
/// </summary>
internal static class FieldValidation
{
    public static Func<object, string, Task<IEnumerable<string>>> For<TModel, TCommand>(IValidator<TCommand> validator, Func<TModel, TCommand> toCommand) =>
        async (model, propertyName) =>
        {
            var result = await validator.ValidateAsync(ValidationContext<TCommand>.CreateWithOptions(
                toCommand((TModel)model), o => o.IncludeProperties(propertyName)));
            return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
        };
}

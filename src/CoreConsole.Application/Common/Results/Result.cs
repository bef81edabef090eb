namespace CoreConsole.Application.Common.Results;

/// <summary>Why an expected failure happened; the UI and the API map each kind to a message or a status code.</summary>
public enum ErrorKind { Validation, NotFound, Conflict, Forbidden, Failure }

/// <summary>An expected failure. <see cref="FieldErrors"/> carries per-field messages for forms and ProblemDetails.</summary>
public sealed record Error(ErrorKind Kind, string Message, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "Some values are not valid.", fields);
    public static Error Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
    public static Error NotFound(string what) => new(ErrorKind.NotFound, $"{what} was not found.");
    public static Error Conflict(string message) => new(ErrorKind.Conflict, message);
    public static Error Forbidden(string message = "You do not have permission to do this.") => new(ErrorKind.Forbidden, message);
    public static Error Failure(string message) => new(ErrorKind.Failure, message);
}

/// <summary>Marks result types so pipeline behaviors can turn expected failures into values instead of exceptions.</summary>
public interface IResult
{
    bool IsSuccess { get; }
    Error? Error { get; }
}

/// <summary>Outcome of a command with no value: success or an <see cref="Error"/>. Bugs stay exceptions.</summary>
public readonly record struct Result : IResult
{
    private Result(Error? error) => Error = error;
    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public static Result Ok() => new(null);
    public static Result Fail(Error error) => new(error ?? throw new ArgumentNullException(nameof(error)));
    public static implicit operator Result(Error error) => Fail(error);
    public static Result<T> Ok<T>(T value) => Result<T>.Ok(value);
}

/// <summary>Outcome of a command or query that yields a value on success.</summary>
public readonly record struct Result<T> : IResult
{
    private readonly T? _value;
    private Result(T? value, Error? error) { _value = value; Error = error; }
    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"Result failed: {Error!.Message}");
    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Error error) => Fail(error);
    public TOut Match<TOut>(Func<T, TOut> ok, Func<Error, TOut> fail) => IsSuccess ? ok(_value!) : fail(Error!);
}

/// <summary>
/// Builds a failed <typeparamref name="TResponse"/> from an <see cref="Error"/> when the response is a Result type,
/// so generic behaviors can return failures without knowing the concrete response. Resolved once per type.
/// </summary>
public static class ResultFactory<TResponse>
{
    private static readonly Func<Error, TResponse>? Factory = Create();

    public static bool CanFail => Factory is not null;

    public static TResponse Fail(Error error) =>
        Factory is null ? throw new InvalidOperationException($"{typeof(TResponse)} is not a Result type.") : Factory(error);

    private static Func<Error, TResponse>? Create()
    {
        var t = typeof(TResponse);
        if (t == typeof(Result)) return e => (TResponse)(object)Result.Fail(e);
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Result<>))
        {
            var method = t.GetMethod(nameof(Result<int>.Fail))!;
            return e => (TResponse)method.Invoke(null, [e])!;
        }
        return null;
    }
}

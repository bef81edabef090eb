using System.Buffers;
using System.Text.Json;
using CoreConsole.Application.Common.Results;
using IResult = Microsoft.AspNetCore.Http.IResult;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Contracts.Agents;
using CoreConsole.Web.Setup;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.Features;

namespace CoreConsole.Web.Endpoints;

/// <summary>
/// The agent API (<see cref="AgentProtocol"/>; docs/agent-api.md). Bodies are read here, not by model binding, so that every
/// failure has the same shape: 413 over <see cref="MaxBodyBytes"/>, 400 ValidationProblem naming the JSON path for malformed
/// JSON and the field for invalid values — and nothing is written in either case.
/// </summary>
internal static partial class AgentApiEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void MapAgentApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/agent").WithTags("Agent API")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/enroll", EnrollAsync).AllowAnonymous().RequireRateLimiting(AgentApiSetup.EnrollRateLimit)
            .WithName("AgentEnroll").WithSummary("Exchange an enrolment token for an agent identity")
            .WithDescription("Anonymous: the token authorises. Re-enrolling a known machine (serial, else primary MAC) keeps its device and agent id and rotates the secret.")
            .Accepts<EnrollRequest>("application/json").Produces<EnrollResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var authed = api.MapGroup("").RequireAuthorization(AgentApiSetup.AgentPolicy).RequireRateLimiting(AgentApiSetup.AgentRateLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        authed.MapPost("/checkin", CheckInAsync).WithName("AgentCheckIn").WithSummary("Heartbeat and inventory; replies with what the agent must know now")
            .Accepts<CheckInRequest>("application/json").Produces<CheckInResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        authed.MapGet("/policy", PolicyAsync).WithName("AgentPolicy").WithSummary("Pending work items for this agent").Produces<PolicyResponse>();

        authed.MapPost("/results", ResultAsync).WithName("AgentResult").WithSummary("Outcome of one work item (idempotent by workId)")
            .Accepts<WorkResult>("application/json").Produces<WorkResultAck>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        authed.MapGet("/catalogue", CatalogueAsync).WithName("AgentCatalogue").WithSummary("The NetBoot catalogue for the agent's representative role")
            .Produces<CatalogueDocument>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> EnrollAsync(HttpContext http, ISender mediator, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync<EnrollRequest>(http, null, ct);
        if (problem is not null) return problem;
        if (request!.ProtocolVersion != AgentProtocol.Version)
            return FieldProblem("protocolVersion", $"protocol version {AgentProtocol.Version} is the only one supported");
        using var system = SystemContext.Enter(); // audited as the system; the token is what authorises
        var result = await mediator.Send(EnrollAgentCommand.From(request), ct);
        if (result.IsSuccess) return Json(result.Value);
        return result.Error!.Kind == ErrorKind.Forbidden
            ? Results.Problem(statusCode: 401, title: "Enrolment refused", detail: result.Error.Message)
            : ToProblem(result.Error);
    }

    private static async Task<IResult> CheckInAsync(HttpContext http, RecordCheckIn ingest, IValidator<CheckInRequest> validator, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync(http, validator, ct);
        if (problem is not null) return problem;
        var reply = await ingest.RecordAsync(AgentAuthenticationHandler.AgentId(http.User), request!, ct);
        return reply is null ? Results.Problem(statusCode: 401, title: "Agent authentication failed", detail: "This agent no longer exists; enrol it again.") : Json(reply);
    }

    private static async Task<IResult> PolicyAsync(HttpContext http, IAgentPolicySource policy, TimeProvider clock, CancellationToken ct)
    {
        var items = await policy.GetPendingAsync(AgentAuthenticationHandler.AgentId(http.User), ct);
        return Json(new PolicyResponse { Items = items, CoreTime = clock.GetUtcNow() });
    }

    private static async Task<IResult> ResultAsync(HttpContext http, IAgentWorkResults results, IValidator<WorkResult> validator, CancellationToken ct)
    {
        var (result, problem) = await ReadAsync(http, validator, ct);
        if (problem is not null) return problem;
        return await results.RecordAsync(AgentAuthenticationHandler.AgentId(http.User), result!, ct)
            ? Json(new WorkResultAck(true))
            : Results.Problem(statusCode: 404, title: "Unknown work item", detail: $"Work item {result!.WorkId} is not assigned to this agent.");
    }

    private static async Task<IResult> CatalogueAsync(HttpContext http, IRepresentativeCatalogueSource catalogue, string? version, CancellationToken ct)
    {
        var document = await catalogue.GetDocumentAsync(AgentAuthenticationHandler.AgentId(http.User), version, ct);
        return document is null
            ? Results.Problem(statusCode: 404, title: "No catalogue", detail: "There is no NetBoot catalogue for this agent's role.")
            : Json(document);
    }

    private static IResult Json<T>(T value) => Results.Json(value, AgentProtocol.JsonOptions);

    /// <summary>Reads, size-checks, parses and validates a JSON body. Exactly one of the two results is non-null.</summary>
    internal static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http, IValidator<T>? validator, CancellationToken ct) where T : class
    {
        var request = http.Request;
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the body as application/json."));

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } n and > 0 ? (int)n + 1 : 16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > MaxBodyBytes) return (null, TooLarge());
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, TooLarge());
                }
                catch (BadHttpRequestException e)
                {
                    // Truncated or aborted bodies: the client's fault, nothing to record.
                    return (null, Results.Problem(statusCode: e.StatusCode, title: "Bad request", detail: e.Message));
                }
                if (read == 0) break;
                length += read;
                if (length > MaxBodyBytes) return (null, TooLarge());
            }

            T? value;
            try
            {
                value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), AgentProtocol.JsonOptions);
            }
            catch (JsonException e)
            {
                return (null, FieldProblem(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, JsonMessage(e)));
            }
            if (value is null) return (null, FieldProblem("$", "The body must be a JSON object."));
            if (validator is not null)
            {
                var validation = await validator.ValidateAsync(value, ct);
                if (!validation.IsValid)
                    return (null, Results.ValidationProblem(validation.Errors.GroupBy(f => CamelPath(f.PropertyName))
                        .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray())));
            }
            return (value, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static string JsonMessage(JsonException e)
    {
        // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the path is the key already.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        // Its messages name .NET types; an agent author needs JSON words, and our type names are nobody's business.
        message = MissingFor().Replace(message, "Missing required properties");
        message = ConvertedTo().Replace(message, m => $"The value is not {JsonKind(m.Groups[1].Value)}.");
        return DotNetName().Replace(message, "$1");
    }

    private static string JsonKind(string type) => type switch
    {
        "System.Int16" or "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.UInt64" or "System.Byte" => "a whole number in range",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Guid" => "a GUID string",
        "System.DateTimeOffset" or "System.DateTime" => "an ISO 8601 date-time string",
        _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`", StringComparison.Ordinal) || type.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
        _ => "of the expected shape",
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"JSON deserialization for type '[^']+' was missing required properties")]
    private static partial System.Text.RegularExpressions.Regex MissingFor();

    [System.Text.RegularExpressions.GeneratedRegex(@"The JSON value could not be converted to ([^.\s][^\s]*?)\.?$")]
    private static partial System.Text.RegularExpressions.Regex ConvertedTo();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:[A-Z][A-Za-z0-9]*\.)+([A-Z][A-Za-z0-9`]*)\b")]
    private static partial System.Text.RegularExpressions.Regex DotNetName();

    private static IResult TooLarge() =>
        Results.Problem(statusCode: 413, title: "Request body too large", detail: $"Agent API bodies are limited to {MaxBodyBytes / 1024} KB.");

    private static IResult FieldProblem(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    private static IResult ToProblem(Error error) => error.Kind switch
    {
        ErrorKind.Validation => Results.ValidationProblem(error.FieldErrors!.ToDictionary(f => CamelPath(f.Key), f => f.Value)),
        ErrorKind.NotFound => Results.Problem(statusCode: 404, detail: error.Message),
        ErrorKind.Conflict => Results.Problem(statusCode: 409, detail: error.Message),
        ErrorKind.Forbidden => Results.Problem(statusCode: 403, detail: error.Message),
        _ => Results.Problem(statusCode: 500, detail: error.Message),
    };

    /// <summary>FluentValidation names C# members (<c>Ipv4[0].Address</c>); the wire uses camelCase (<c>ipv4[0].address</c>).</summary>
    internal static string CamelPath(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoreConsole.Contracts.Agents;

/// <summary>An agent's identity towards the core.</summary>
public sealed record AgentCredentials(Guid AgentId, string Secret)
{
    public string AuthorizationHeader => AgentAuth.AgentAuthorization(AgentId, Secret);
}

/// <summary>The core answered with a non-success status (as opposed to being unreachable, which is an <see cref="HttpRequestException"/>).</summary>
public sealed class AgentApiException(HttpStatusCode statusCode, string path, string? body)
    : Exception($"{(int)statusCode} {statusCode} from {path}{(string.IsNullOrWhiteSpace(body) ? "" : ": " + body)}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    /// <summary>The core no longer accepts our credentials: only re-enrolment helps.</summary>
    public bool IsCredentialRejection => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}

/// <summary>
/// Typed client of the agent API (BCL only, so the agent and the fleet simulator share it).
/// The <see cref="HttpClient"/> must have the core URL as BaseAddress.
/// </summary>
public sealed class AgentCoreClient(HttpClient http)
{
    public Task<EnrollResponse> EnrollAsync(EnrollRequest request, CancellationToken cancellationToken) =>
        SendAsync<EnrollResponse>(HttpMethod.Post, AgentProtocol.Enroll, null, request, cancellationToken);

    public Task<CheckInResponse> CheckInAsync(AgentCredentials credentials, CheckInRequest request, CancellationToken cancellationToken) =>
        SendAsync<CheckInResponse>(HttpMethod.Post, AgentProtocol.CheckIn, credentials, request, cancellationToken);

    public Task<PolicyResponse> GetPolicyAsync(AgentCredentials credentials, CancellationToken cancellationToken) =>
        SendAsync<PolicyResponse>(HttpMethod.Get, AgentProtocol.Policy, credentials, null, cancellationToken);

    public async Task PostResultAsync(AgentCredentials credentials, WorkResult result, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Post, AgentProtocol.Results, credentials, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET the catalogue named by a check-in reply; <paramref name="url"/> may be absolute or relative to the core.</summary>
    public Task<CatalogueDocument> GetCatalogueAsync(AgentCredentials credentials, string url, CancellationToken cancellationToken) =>
        SendAsync<CatalogueDocument>(HttpMethod.Get, url, credentials, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, AgentCredentials? credentials, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, credentials, body, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync<T>(AgentProtocol.JsonOptions, cancellationToken).ConfigureAwait(false);
        return value ?? throw new AgentApiException(response.StatusCode, path, "empty body");
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, AgentCredentials? credentials, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute));
        if (credentials is not null) request.Headers.TryAddWithoutValidation("Authorization", credentials.AuthorizationHeader);
        if (body is not null)
        {
            // Buffered, so the request has a Content-Length rather than chunked encoding (friendlier to proxies and simple servers).
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), AgentProtocol.JsonOptions));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new AgentApiException(response.StatusCode, path, text.Length > 300 ? text[..300] : text);
        }
    }
}

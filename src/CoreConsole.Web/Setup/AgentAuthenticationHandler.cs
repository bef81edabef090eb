using System.Security.Claims;
using System.Text.Encodings.Web;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Contracts.Agents;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CoreConsole.Web.Setup;

/// <summary>
/// The <c>CoreConsole-Agent</c> scheme: <c>Authorization: CoreConsole-Agent &lt;agentId&gt;:&lt;secret&gt;</c>, verified against the
/// stored SHA-256 (constant-time compare) through <see cref="AgentCredentialCache"/>. A missing, malformed, wrong or revoked
/// credential is a 401 ProblemDetails; the endpoint never runs, so nothing is written.
/// </summary>
internal sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AgentCredentialCache credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string AgentIdClaim = "coreconsole:agent-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (!AgentAuth.TryParseAuthorization(header, AgentAuth.AgentScheme, out var agentId, out var secret))
            return Fail("The Authorization header is not 'CoreConsole-Agent <agentId>:<secret>'.");
        var check = await credentials.CheckAsync(agentId, secret, Context.RequestAborted);
        if (check != AgentCredentialCheck.Valid)
            return Fail(check == AgentCredentialCheck.Revoked ? "This agent has been revoked; enrol it again." : "Unknown agent or wrong secret.");
        var identity = new ClaimsIdentity([new Claim(AgentIdClaim, agentId.ToString("D"))], AgentAuth.AgentScheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AgentAuth.AgentScheme));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static readonly object FailureKey = new();

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureKey] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = AgentAuth.AgentScheme;
        await Results.Problem(statusCode: 401, title: "Agent authentication failed",
            detail: failure ?? "Send 'Authorization: CoreConsole-Agent <agentId>:<secret>' (enrol first).").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden").ExecuteAsync(Context);
    }

    public static Guid AgentId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(AgentIdClaim), out var id) ? id : throw new InvalidOperationException("Not an agent principal.");
}

using System.Threading.RateLimiting;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Agents;
using CoreConsole.Contracts.Agents;
using CoreConsole.Web.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Web.Setup;

/// <summary>Rate limits of the agent API (configuration section <c>AgentApi:RateLimit</c>).</summary>
public sealed class AgentRateLimitOptions
{
    /// <summary>Burst size per agent.</summary>
    public int TokenLimit { get; set; } = 20;
    /// <summary>Sustained requests per second per agent (a healthy agent needs one a minute or so).</summary>
    public int TokensPerSecond { get; set; } = 2;
    /// <summary>Enrolment attempts per minute per client address (slows token guessing).</summary>
    public int EnrollPerMinute { get; set; } = 600;
}

internal static class AgentApiSetup
{
    public const string AgentPolicy = "agent";
    public const string AgentRateLimit = "agent";
    public const string EnrollRateLimit = "agent-enroll";

    public static IServiceCollection AddAgentApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddAgentServices();
        services.Configure<AgentApiOptions>(config.GetSection("AgentApi"));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuth.AgentScheme, null);
        services.AddAuthorizationBuilder().AddPolicy(AgentPolicy, p => p.AddAuthenticationSchemes(AgentAuth.AgentScheme).RequireAuthenticatedUser());

        var limits = config.GetSection("AgentApi:RateLimit").Get<AgentRateLimitOptions>() ?? new AgentRateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: 429, title: "Too many requests", detail: "Slow down and retry after the interval in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
            // Partitioned by the authenticated agent id (the limiter runs after authorization), so one noisy agent cannot starve the rest.
            o.AddPolicy(AgentRateLimit, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.TokenLimit, TokensPerPeriod = limits.TokensPerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                }));
            o.AddPolicy(EnrollRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.EnrollPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddOpenApi();
        return services;
    }

    /// <summary>
    /// People get the console's friendly status page; API clients (agents, scripts) get ProblemDetails for a wrong route,
    /// method or media type. Runs after the status-page middleware, so it can switch that off for /api requests.
    /// </summary>
    public static WebApplication UseApiStatusProblems(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/api"))
            {
                await next(http);
                return;
            }
            if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            await next(http);
            if (http.Response is { HasStarted: false, StatusCode: >= 400, ContentLength: null } response && response.ContentType is null)
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = http });
        });
        return app;
    }

    /// <summary>Middleware the agent API needs after authorization (the rate limiter partitions by the authenticated agent).</summary>
    public static WebApplication UseAgentApi(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapAgentApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapAgentApiEndpoints();
        return app;
    }

    /// <summary>WAL lets the UI read while check-ins write, and makes the many small commits cheaper. Persistent per database file.</summary>
    public static async Task EnableSqliteWalAsync(AppDbContext db, CancellationToken ct = default)
    {
        if (!db.Database.IsSqlite()) return;
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}

using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Features.Subnets;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Web.Endpoints;

public static class SubnetEndpoints
{
    /// <summary>GET /subnets/{id}/whitelist.sh: the published SIP whitelist as a NetInstall-time script (any signed-in user).</summary>
    public static IEndpointRouteBuilder MapSubnetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/subnets/{subnetId:guid}/whitelist.sh", async (Guid subnetId, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var subnet = await db.Subnets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subnetId, ct);
            var whitelist = await db.PublishedWhitelists.AsNoTracking().FirstOrDefaultAsync(w => w.SubnetId == subnetId, ct);
            if (subnet is null || whitelist is null) return Results.NotFound();
            var script = SipWhitelist.Script(subnet.Cidr, whitelist.AddressList, whitelist.PublishedAt, whitelist.PublishedBy);
            var name = $"whitelist-{subnet.Cidr.Replace('/', '_')}.sh";
            return Results.File(System.Text.Encoding.UTF8.GetBytes(script), "text/x-shellscript", name);
        }).RequireAuthorization();
        return app;
    }
}

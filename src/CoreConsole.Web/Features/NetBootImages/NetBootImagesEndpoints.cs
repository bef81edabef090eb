using System.Text;
using CoreConsole.Application.Features.NetBootImages;
using Mediator;

namespace CoreConsole.Web.Features.NetBootImages;

public static class NetBootImagesEndpoints
{
    public const string CoverageCsvPath = "/netboot-images/coverage.csv";

    /// <summary>The coverage report as CSV for any signed-in user (the same rows the Coverage tab shows).</summary>
    public static void MapNetBootImagesEndpoints(this WebApplication app) =>
        app.MapGet(CoverageCsvPath, async (ISender mediator, bool? problemsOnly, CancellationToken ct) =>
        {
            var rows = await mediator.Send(new GetCoverageReportQuery(problemsOnly ?? false), ct);
            var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CoverageCalculator.ToCsv(rows))).ToArray();
            return Results.File(csv, "text/csv; charset=utf-8", $"netboot-coverage-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv");
        }).RequireAuthorization();
}

using System.Globalization;
using System.Text;
using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

public enum CoverageProblem { NoBootableImage, ExcludedByImage, ImageUnhealthy, ImageMissing }

/// <summary>One inventory model: how many devices, the image it boots (override or default), and what is wrong.</summary>
public sealed record CoverageRow(
    string Model, int DeviceCount, Guid? ImageId, string? ImageName, bool IsOverride, bool? Accepted, IReadOnlyList<CoverageProblem> Problems, string? Detail)
{
    public bool HasProblems => Problems.Count > 0;
}

/// <summary>
/// The coverage report computed from the stored mapping (what is published), the images and the model counts. Pure, so
/// the page, the CSV export and the tests share one rule set.
/// </summary>
public static class CoverageCalculator
{
    public static IReadOnlyList<CoverageRow> Compute(
        IEnumerable<(string Model, int DeviceCount)> models, Guid? defaultImageId, IReadOnlyDictionary<string, Guid> overrides,
        IReadOnlyDictionary<Guid, NetBootImage> images)
    {
        var rows = new List<CoverageRow>();
        foreach (var (model, count) in models.OrderBy(m => m.Model, StringComparer.Ordinal))
        {
            bool isOverride = overrides.TryGetValue(model, out var chosen);
            Guid? imageId = isOverride ? chosen : defaultImageId;
            if (imageId is not { } id)
            {
                rows.Add(new CoverageRow(model, count, null, null, false, null, [CoverageProblem.NoBootableImage], "no default image and no override"));
                continue;
            }

            if (!images.TryGetValue(id, out var image) || image.IsMissing)
            {
                rows.Add(new CoverageRow(model, count, id, image?.Name, isOverride, null, [CoverageProblem.ImageMissing, CoverageProblem.NoBootableImage],
                    image is null ? "the mapped image no longer exists" : $"{image.FolderName} is no longer on the share"));
                continue;
            }

            var problems = new List<CoverageProblem>();
            var details = new List<string>();
            var why = ModelAcceptance.WhyNot(model, image);
            if (why is not null)
            {
                problems.Add(CoverageProblem.ExcludedByImage);
                problems.Add(CoverageProblem.NoBootableImage);
                details.Add(why);
            }
            else if (!image.IsEnabled)
            {
                problems.Add(CoverageProblem.NoBootableImage);
                details.Add("the image is disabled");
            }

            if (image.Health == NbiHealthState.Unhealthy)
            {
                problems.Add(CoverageProblem.ImageUnhealthy);
                details.AddRange(NbiHealthReport.FromJson(image.HealthJson)?.Problems.Take(2) ?? []);
            }

            rows.Add(new CoverageRow(model, count, id, image.Name, isOverride, why is null, problems, details.Count == 0 ? null : string.Join("; ", details)));
        }

        return rows;
    }

    public static string Describe(CoverageProblem p) => p switch
    {
        CoverageProblem.NoBootableImage => "No bootable image",
        CoverageProblem.ExcludedByImage => "Excluded by the image",
        CoverageProblem.ImageUnhealthy => "Image unhealthy",
        CoverageProblem.ImageMissing => "Image missing",
        _ => p.ToString(),
    };

    /// <summary>RFC 4180 CSV (model identifiers contain commas, so quoting matters).</summary>
    public static string ToCsv(IEnumerable<CoverageRow> rows)
    {
        var sb = new StringBuilder("Model,Devices,Image,Source,Accepts model,Problems,Detail\r\n");
        foreach (var r in rows)
        {
            sb.Append(Csv(r.Model)).Append(',').Append(r.DeviceCount.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(Csv(r.ImageName ?? "")).Append(',').Append(r.ImageId is null ? "" : r.IsOverride ? "override" : "default").Append(',')
              .Append(r.Accepted switch { true => "yes", false => "no", null => "" }).Append(',')
              .Append(Csv(string.Join("; ", r.Problems.Select(Describe)))).Append(',').Append(Csv(r.Detail ?? "")).Append("\r\n");
        }

        return sb.ToString();
    }

    private static string Csv(string v)
    {
        // Leading =,+,-,@ would run as a formula in a spreadsheet: neutralise with a quote prefix.
        if (v.Length > 0 && "=+-@".Contains(v[0])) v = "'" + v;
        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 || v != v.Trim() ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    }
}

/// <summary>The coverage report for every model in inventory, optionally only the ones with problems.</summary>
public sealed record GetCoverageReportQuery(bool ProblemsOnly = false) : IQuery<IReadOnlyList<CoverageRow>>;

public sealed class GetCoverageReportHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<GetCoverageReportQuery, IReadOnlyList<CoverageRow>>
{
    public async ValueTask<IReadOnlyList<CoverageRow>> Handle(GetCoverageReportQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var models = await db.Devices.AsNoTracking().Where(d => d.Model != "")
            .GroupBy(d => d.Model).Select(g => new { Model = g.Key, Count = g.Count() }).ToListAsync(ct);
        var mapping = await db.NetBootImageMappings.AsNoTracking().Include(m => m.Overrides).FirstAsync(m => m.Id == NetBootImageMapping.SingletonId, ct);
        var ids = mapping.Overrides.Select(o => o.ImageId).Append(mapping.DefaultImageId ?? Guid.Empty).Distinct().ToList();
        var images = await db.NetBootImages.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var rows = CoverageCalculator.Compute(models.Select(m => (m.Model, m.Count)), mapping.DefaultImageId,
            mapping.Overrides.ToDictionary(o => o.Model, o => o.ImageId, StringComparer.Ordinal), images);
        return q.ProblemsOnly ? [.. rows.Where(r => r.HasProblems)] : rows;
    }
}

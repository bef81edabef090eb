using CoreConsole.Application.Common.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>An image as the mapping page shows it, with why it cannot be chosen (null = it can) and its last health.</summary>
public sealed record NetBootImageView(
    Guid Id, string FolderName, string FolderUrl, int Index, string Name, string? OsVersion, string? Description, int Kind, bool IsInstall,
    bool IsEnabled, string Type, IReadOnlyList<string> Architectures, IReadOnlyList<string> EnabledSystemIdentifiers, long BootImageId,
    bool IsMissing, string? Unusable, NbiHealthState Health, DateTimeOffset? HealthCheckedAt, NbiHealthReport? HealthReport)
{
    public string KindText => Kind switch { 0 => "Mac OS 9", 1 => "Mac OS X", 2 => "Mac OS X Server", 3 => "Diagnostics", _ => $"Kind {Kind}" };
    public string Label => $"{Name} (Index {Index})";
}

/// <summary>The images stored for a share (all shares when null), in folder order.</summary>
public sealed record ListNetBootImagesQuery(string? ShareUrl) : IQuery<IReadOnlyList<NetBootImageView>>;

public sealed class ListNetBootImagesHandler(IDbContextFactory<AppDbContext> dbFactory) : IQueryHandler<ListNetBootImagesQuery, IReadOnlyList<NetBootImageView>>
{
    public async ValueTask<IReadOnlyList<NetBootImageView>> Handle(ListNetBootImagesQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = db.NetBootImages.AsNoTracking();
        string? share = q.ShareUrl is { } s && ShareUrlRules.BeAbsoluteHttp(s) ? ShareUrlRules.Normalize(s) : null;
        if (q.ShareUrl is not null) rows = rows.Where(i => i.ShareUrl == share);
        var images = await rows.ToListAsync(ct);
        return [.. images.OrderBy(i => i.FolderName, StringComparer.Ordinal).Select(i => ToView(i, images))];
    }

    internal static NetBootImageView ToView(NetBootImage i, IReadOnlyList<NetBootImage> sameShare) => new(
        i.Id, i.FolderName, i.FolderUrl, i.Index, i.Name, i.OsVersion, i.Description, i.Kind, i.IsInstall, i.IsEnabled, i.Type,
        i.Architectures, i.EnabledSystemIdentifiers, i.BootImageId, i.IsMissing,
        ImageRules.WhyUnusable(i, i.ShareUrl, sameShare.Where(o => o.ShareUrl == i.ShareUrl)), i.Health, i.HealthCheckedAt,
        NbiHealthReport.FromJson(i.HealthJson));
}

using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// Browse: list the share, read every .nbi folder's plist and remember the images found (nothing is published; the
/// mapping still decides what Macs boot). A share that cannot be listed changes nothing.
/// </summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record BrowseShareCommand(string ShareUrl) : ICommand<Result<ShareBrowseResult>>, IAuditedCommand;

public sealed record BrowsedFolder(string FolderName, string FolderUrl, Guid? ImageId, string? Name, int? Index, bool IsEnabled, IReadOnlyList<string> Problems);

public sealed record ShareBrowseResult(string ShareUrl, IReadOnlyList<BrowsedFolder> Folders, int Added, int Updated, int NowMissing);

/// <summary>Rules for the share's HTTP path, shared by Browse and Save.</summary>
public static class ShareUrlRules
{
    public static IRuleBuilderOptions<T, string?> ValidShareUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("Enter the HTTP path to the share, e.g. http://10.0.0.5/vboot/NetBoot/.")
            .MaximumLength(900).WithMessage("The share URL is too long.")
            .Must(BeAbsoluteHttp).WithMessage("Enter an absolute http:// or https:// URL, e.g. http://10.0.0.5/vboot/NetBoot/.");

    public static bool BeAbsoluteHttp(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
        && u.Host.Length > 0 && string.IsNullOrEmpty(u.Query) && string.IsNullOrEmpty(u.Fragment) && string.IsNullOrEmpty(u.UserInfo);

    /// <summary>The canonical form stored and compared: trimmed, trailing slash.</summary>
    public static string Normalize(string url) => NbiShareReader.AsDirectory(new Uri(url.Trim())).ToString();
}

public sealed class BrowseShareValidator : AbstractValidator<BrowseShareCommand>
{
    public BrowseShareValidator() => RuleFor(x => x.ShareUrl).ValidShareUrl();
}

public sealed class BrowseShareHandler(IDbContextFactory<AppDbContext> dbFactory, NbiShareReader reader, TimeProvider clock)
    : ICommandHandler<BrowseShareCommand, Result<ShareBrowseResult>>
{
    public async ValueTask<Result<ShareBrowseResult>> Handle(BrowseShareCommand c, CancellationToken ct)
    {
        var shareUrl = ShareUrlRules.Normalize(c.ShareUrl);
        var listing = await reader.ReadAsync(new Uri(shareUrl), ct);
        if (listing.Error is { } error) return Error.Validation(nameof(c.ShareUrl), error);

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.NetBootImages.Where(i => i.ShareUrl == shareUrl).ToListAsync(ct);
        var byUrl = known.ToDictionary(i => i.FolderUrl, StringComparer.Ordinal);
        int added = 0, updated = 0;
        var folders = new List<BrowsedFolder>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in listing.Folders)
        {
            var folderUrl = f.FolderUrl.ToString();
            seen.Add(folderUrl);
            if (f.Info is not { } info)
            {
                // An unreadable plist: keep any earlier copy but mark it missing, so it cannot be chosen.
                if (byUrl.TryGetValue(folderUrl, out var stale)) stale.IsMissing = true;
                folders.Add(new BrowsedFolder(f.FolderName, folderUrl, null, null, null, false, f.Problems));
                continue;
            }

            if (!byUrl.TryGetValue(folderUrl, out var row))
            {
                row = new NetBootImage
                {
                    Id = Guid.NewGuid(), ShareUrl = shareUrl, FolderName = f.FolderName, FolderUrl = folderUrl, PlistBytes = f.PlistBytes!,
                    Name = info.Name, Type = info.Type.ToString(), BootFile = info.BootFile, FirstSeenAt = now,
                };
                db.NetBootImages.Add(row);
                added++;
            }
            else
            {
                if (!row.PlistBytes.AsSpan().SequenceEqual(f.PlistBytes) || row.IsMissing)
                {
                    updated++;
                    row.Health = NbiHealthState.Unknown; // the files may have changed with the plist
                }
            }

            NbiImageRows.Fill(row, f.PlistBytes!, info);
            row.LastSeenAt = now;
            row.IsMissing = false;
            folders.Add(new BrowsedFolder(f.FolderName, folderUrl, row.Id, info.Name, info.Index, info.IsEnabled, f.Problems));
        }

        int missing = 0;
        foreach (var gone in known.Where(k => !seen.Contains(k.FolderUrl) && !k.IsMissing))
        {
            gone.IsMissing = true;
            missing++;
        }

        await db.SaveChangesAsync(ct);
        var usable = folders.Count(f => f.ImageId is not null && f.Problems.Count == 0);
        AuditTrail.Record("NetBootShare", shareUrl, null, new { Folders = folders.Count, Usable = usable, Added = added, Updated = updated, Missing = missing },
            $"Browsed {shareUrl}: {folders.Count} .nbi folders, {usable} usable, {added} new, {missing} gone");
        return new ShareBrowseResult(shareUrl, folders, added, updated, missing);
    }
}

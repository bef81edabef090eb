namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>Why an image cannot be chosen for the mapping (it would point Macs at nothing), or null.</summary>
public static class ImageRules
{
    public static string? WhyUnusable(NetBootImage image, string shareUrl, IEnumerable<NetBootImage> sameShare)
    {
        if (!string.Equals(image.ShareUrl, shareUrl, StringComparison.Ordinal))
            return $"\"{image.Name}\" is on another share ({image.ShareUrl}); browse {shareUrl} and choose from it";
        if (image.IsMissing) return $"\"{image.Name}\" ({image.FolderName}) is no longer on the share";
        if (!image.IsEnabled) return $"\"{image.Name}\" is disabled in its NBImageInfo.plist (IsEnabled false), so no Mac would be offered it";
        if (image.Architectures.Count == 0) return $"\"{image.Name}\" has no architectures";
        var twin = sameShare.FirstOrDefault(o => o.Id != image.Id && !o.IsMissing && o.BootImageId == image.BootImageId);
        if (twin is not null)
            return $"\"{image.Name}\" has the same boot image id 0x{image.BootImageId:x8} as \"{twin.Name}\" ({twin.FolderName}); change Index in one of them";
        return null;
    }
}

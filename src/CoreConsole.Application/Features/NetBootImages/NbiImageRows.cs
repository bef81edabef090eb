using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>Copies a parsed plist into the row's searchable columns, and reads it back for publishing.</summary>
public static class NbiImageRows
{
    public static void Fill(NetBootImage row, byte[] plist, NbiImageInfo info)
    {
        row.PlistBytes = plist;
        row.Index = info.Index;
        row.Name = info.Name;
        row.Kind = info.Kind;
        row.IsInstall = info.IsInstall;
        row.IsEnabled = info.IsEnabled;
        row.Type = info.Type.ToString();
        row.BootFile = info.BootFile;
        row.RootPath = info.RootPath;
        row.Architectures = [.. info.Architectures];
        row.EnabledSystemIdentifiers = [.. info.EnabledSystemIdentifiers];
        row.OsVersion = info.OsVersion;
        row.Description = info.Description;
        row.BootImageId = info.BootImageId;
    }

    /// <summary>The stored plist parsed again (it was valid when stored; null only if the parser has since become stricter).</summary>
    public static NbiImageInfo? Info(NetBootImage row) => NbiImageInfoParser.Parse(row.PlistBytes).Info;
}

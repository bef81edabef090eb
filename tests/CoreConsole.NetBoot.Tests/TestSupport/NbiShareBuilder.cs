namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>Builds .nbi folders on disk (plist, booters, DMG) for scanner and builder tests.</summary>
internal static class NbiShareBuilder
{
    public static string NbiPlist(int index, string name, string type = "HTTP", string rootPath = "NetInstall.dmg",
        string archs = "<string>i386</string>", string extra = "") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0"><dict>
        <key>Architectures</key><array>{archs}</array>
        <key>BootFile</key><string>booter</string>
        <key>Index</key><integer>{index}</integer>
        <key>IsInstall</key><true/>
        <key>Kind</key><integer>1</integer>
        <key>Name</key><string>{name}</string>
        <key>RootPath</key><string>{rootPath}</string>
        <key>Type</key><string>{type}</string>
        {extra}
        </dict></plist>
        """;

    /// <summary>A complete, valid NBI folder: plist, booter for each listed architecture, and the DMG.</summary>
    public static string AddNbi(this NbiTempDir share, string folder, string plist, string[]? archs = null, string? dmg = "NetInstall.dmg")
    {
        share.WriteFile($"{folder}/NBImageInfo.plist", plist);
        foreach (var arch in archs ?? ["i386"]) share.WriteFile($"{folder}/{arch}/booter", "booter bytes");
        if (dmg is not null) share.WriteFile($"{folder}/{dmg}", "dmg");
        return share.Combine(folder);
    }
}

using CoreConsole.NetBoot.Nbi;
using CoreConsole.NetBoot.Tests.TestSupport;

namespace CoreConsole.NetBoot.Tests.Nbi;

public class HttpDirectoryListingTests
{
    private static IReadOnlyList<HttpDirectoryEntry> ParseFixture(string file, string pageUrl) =>
        HttpDirectoryListing.Parse(File.ReadAllText(NbiTestPaths.Fixture("autoindex", file)), new Uri(pageUrl));

    [Fact]
    public void Nginx_autoindex_lists_directories_and_files_without_the_parent_link()
    {
        var entries = ParseFixture("nginx-autoindex-rclone.html", "http://mirror.example/atomic/fedora/");
        entries.Select(e => (e.Name, e.IsDirectory)).ShouldBe([
            ("deltas", true), ("objects", true), ("refs", true), ("state", true), ("config", false), ("summary", false)]);
        entries[0].Url.ShouldBe(new Uri("http://mirror.example/atomic/fedora/deltas/"));
    }

    [Fact]
    public void Apache_mod_autoindex_skips_sort_links_and_parent_directory_and_decodes_escapes()
    {
        var entries = ParseFixture("apache-mod_autoindex-rclone.html", "http://example.org/nick/pub/");
        entries.Count.ShouldBe(18); // 16 rows plus the two rclone extras
        entries.ShouldNotContain(e => e.Name.Contains("C=") || e.Name == "nick" || e.Name == "Parent Directory");
        entries.Where(e => e.IsDirectory).Select(e => e.Name).ShouldBe(["gchq-challenge", "mandelterm", "pymath", "snake-puzzle", "stressdisk"]);
        entries.ShouldContain(new HttpDirectoryEntry("Now 100% better.mp3", false, new Uri("http://example.org/nick/pub/Now%20100%25%20better.mp3")));
    }

    [Fact]
    public void Iis_listing_with_absolute_hrefs_yields_children_of_the_page_only()
    {
        var entries = ParseFixture("iis-us-date-OpenDirectoryDownloader-20b.html", "http://slot-tech.com/interesting_stuff/magazine/");
        entries.Select(e => (e.Name, e.IsDirectory)).ShouldBe([
            ("advertising", true), ("august 2012.pdf", false), ("august 2012lores.pdf", false), ("june07_lores.pdf", false)]);
    }

    [Fact]
    public void Iis_korean_listing_decodes_utf8_percent_escapes()
    {
        var entries = ParseFixture("iis-korean-locale-OpenDirectoryDownloader-11b.html", "http://webdav.gnunix.co.kr/Lecture/");
        entries.ShouldContain(new HttpDirectoryEntry("[통기타]어쿠스틱 기타 강좌", true,
            new Uri("http://webdav.gnunix.co.kr/Lecture/[%ED%86%B5%EA%B8%B0%ED%83%80]%EC%96%B4%EC%BF%A0%EC%8A%A4%ED%8B%B1%20%EA%B8%B0%ED%83%80%20%EA%B0%95%EC%A2%8C/")));
        entries.ShouldContain(e => e.Name == "김명기 보컬 강의 (김명기 보컬 강좌, 1회~38회)" && e.IsDirectory);
        entries.ShouldAllBe(e => e.IsDirectory);
    }

    [Fact]
    public void Iis_long_date_listing_keeps_the_apostrophe_in_the_single_file()
    {
        var entry = ParseFixture("iis-long-date-OpenDirectoryDownloader-10b.html", "http://wilmingtonnetworks.ddns.net/music/Music/Bon%20Jovi/Cross%20Road/").ShouldHaveSingleItem();
        entry.Name.ShouldBe("12 I'll Be There for You.m4a");
        entry.IsDirectory.ShouldBeFalse();
    }

    [Fact]
    public void Off_site_links_anchors_and_deeper_paths_are_skipped_and_crlf_is_fine()
    {
        const string html = "\uFEFF\r\n<pre><a href=\"http://other.example/x.nbi/\">x</a>\r\n<a href='#top'>top</a>\r\n" +
                            "<a href=\"sub/deeper/\">deep</a>\r\n<A HREF=Install.nbi/>Install.nbi</A>\r\n<a href=\"./\">.</a></pre>";
        HttpDirectoryListing.Parse(html, new Uri("http://10.0.0.5/NetBoot")).ShouldBe([
            new HttpDirectoryEntry("Install.nbi", true, new Uri("http://10.0.0.5/NetBoot/Install.nbi/"))]);
    }
}

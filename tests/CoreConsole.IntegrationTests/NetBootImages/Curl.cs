using System.Diagnostics;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>curl as an independent HTTP client. Tests that need it skip with the reason when it is not installed.</summary>
public static class Curl
{
    public static string? Path { get; } = new[] { "/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl" }.FirstOrDefault(File.Exists);

    public static void SkipIfMissing() => Assert.SkipWhen(Path is null, "curl is not installed (apt-get install curl): share tests with a real client skipped.");

    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>Runs curl with <c>--path-as-is</c> (so dot segments reach the server unaltered) and returns status, headers, body.</summary>
    public static async Task<Response> RunAsync(params string[] args)
    {
        SkipIfMissing();
        var headersFile = System.IO.Path.GetTempFileName();
        var bodyFile = System.IO.Path.GetTempFileName();
        try
        {
            var psi = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-sS", "--path-as-is", "-D", headersFile, "-o", bodyFile, "-w", "%{http_code}", "--max-time", "20" }.Concat(args))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = await p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"curl {string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in await File.ReadAllLinesAsync(headersFile))
            {
                if (line.StartsWith("HTTP/", StringComparison.Ordinal)) headers.Clear(); // keep the last response's headers
                var colon = line.IndexOf(':');
                if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }

            return new Response(int.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), headers, await File.ReadAllBytesAsync(bodyFile));
        }
        finally
        {
            File.Delete(headersFile);
            File.Delete(bodyFile);
        }
    }
}

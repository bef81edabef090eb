using System.Diagnostics;

namespace CoreConsole.NetBoot.Tests.TestSupport;

/// <summary>Runs external tools (python3, curl, tftp, atftp) for cross-checks; finds them on PATH.</summary>
internal static class NbiProcess
{
    public static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string exe, IEnumerable<string> args, string? workingDir = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDir ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }

        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', psi.ArgumentList)} did not finish");
        }

        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Converts a plist file to binary with Python's plistlib (an independent writer), or returns null when
    /// python3 is not installed.
    /// </summary>
    public static async Task<byte[]?> ToBinaryPlistAsync(string xmlPlistPath, string outputPath)
    {
        if (Which("python3") is not { } python) return null;
        const string script = "import plistlib,sys\nd=plistlib.load(open(sys.argv[1],'rb'))\nplistlib.dump(d,open(sys.argv[2],'wb'),fmt=plistlib.FMT_BINARY)";
        var r = await RunAsync(python, ["-c", script, xmlPlistPath, outputPath]);
        if (r.ExitCode != 0) throw new InvalidOperationException("plistlib failed: " + r.StdErr);
        return await File.ReadAllBytesAsync(outputPath);
    }

    /// <summary>Runs a Python snippet that writes a binary plist to sys.argv[1]; null when python3 is absent.</summary>
    public static async Task<byte[]?> PythonBinaryPlistAsync(string pythonExpression, string outputPath)
    {
        if (Which("python3") is not { } python) return null;
        string script = "import plistlib,sys,datetime\nd=" + pythonExpression + "\nplistlib.dump(d,open(sys.argv[1],'wb'),fmt=plistlib.FMT_BINARY)";
        var r = await RunAsync(python, ["-c", script, outputPath]);
        if (r.ExitCode != 0) throw new InvalidOperationException("plistlib failed: " + r.StdErr);
        return await File.ReadAllBytesAsync(outputPath);
    }

    public const string NoPython = "python3 is not installed; the binary plists are made by Python's plistlib at run time";
}

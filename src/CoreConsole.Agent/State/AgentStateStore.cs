using System.Text.Json;
using CoreConsole.Contracts.Agents;

namespace CoreConsole.Agent.State;

/// <summary>
/// Loads and saves <see cref="AgentState"/> in <c>agent-state.json</c>. Every change is read-modify-write under a lock file,
/// because the service and the <c>portal</c> CLI may change state at the same time; writes go to a temp file that is
/// renamed over the old one, so a crash leaves either the old or the new state, never half of one. Mode 600 on Unix:
/// the file holds the agent secret.
/// </summary>
public sealed class AgentStateStore
{
    public const string FileName = "agent-state.json";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();

    public AgentStateStore(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, FileName);
    }

    public string Directory { get; }
    public string FilePath { get; }

    public bool Exists => File.Exists(FilePath);

    /// <summary>The state on disk now (a fresh copy each call), or null before enrolment.</summary>
    public AgentState? TryLoad()
    {
        if (!File.Exists(FilePath)) return null;
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return JsonSerializer.Deserialize<AgentState>(stream, AgentProtocol.JsonOptions);
    }

    public AgentState Load() =>
        TryLoad() ?? throw new InvalidOperationException($"Not enrolled: no {FileName} in {Directory}. Run 'coreconsole-agent enroll' first.");

    /// <summary>Applies <paramref name="change"/> to the latest persisted state and saves it; returns the new state.</summary>
    public AgentState Update(Action<AgentState> change)
    {
        lock (_gate)
        {
            using var fileLock = AcquireFileLock();
            var state = TryLoad() ?? new AgentState();
            change(state);
            Write(state);
            return state;
        }
    }

    /// <summary>Replaces the whole state (enrolment).</summary>
    public void Replace(AgentState state)
    {
        lock (_gate)
        {
            using var fileLock = AcquireFileLock();
            Write(state);
        }
    }

    private void Write(AgentState state)
    {
        EnsureDirectory();
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, state, AgentProtocol.JsonOptions);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, FilePath, overwrite: true);
    }

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory)) return;
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
        else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private FileStream AcquireFileLock()
    {
        EnsureDirectory();
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Directory, "agent-state.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}

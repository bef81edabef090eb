namespace CoreConsole.Application.Common.Security;

/// <summary>
/// Marks code that acts for the system rather than a signed-in user (jobs, start-up, the agent API), so
/// messages it sends pass authorization and are audited as "system". Scoped to the async flow.
/// </summary>
public static class SystemContext
{
    private static readonly AsyncLocal<bool> Active = new();

    public static bool IsActive => Active.Value;

    public static IDisposable Enter()
    {
        var previous = Active.Value;
        Active.Value = true;
        return new Exit(previous);
    }

    private sealed class Exit(bool previous) : IDisposable
    {
        public void Dispose() => Active.Value = previous;
    }
}

namespace CoreConsole.Agent.Running;

/// <summary>Lets a push cut the check-in loop's wait short. Several wakes before the loop looks collapse into one.</summary>
public sealed class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { /* already pending */ }
    }

    /// <summary>Waits for <paramref name="delay"/> or a wake, whichever comes first; true if woken.</summary>
    public Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, cancellationToken);
}

using CoreConsole.Agent.State;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Policy;

/// <summary>
/// Posts every unreported work outcome; what fails stays unreported and goes out on the next attempt, except work the core
/// answers 404 for, which is marked done.
/// </summary>
public sealed class ResultReporter(AgentStateStore store, AgentCoreClient client, ILogger<ResultReporter> logger)
{
    /// <summary>Returns how many results the core acknowledged.</summary>
    public async Task<int> PostPendingAsync(CancellationToken cancellationToken)
    {
        var state = store.Load();
        var posted = 0;
        foreach (var work in state.AppliedWork.Where(w => !w.Reported).ToList())
        {
            var acknowledged = true;
            try
            {
                await client.PostResultAsync(state.Credentials, work.ToResult(), cancellationToken);
            }
            catch (AgentApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The core no longer knows this work (its task was deleted): retrying cannot succeed, and holding it back
                // would block every later result behind it.
                logger.LogWarning("The core does not know work {WorkId}; its result is dropped", work.WorkId);
                acknowledged = false;
            }
            catch (Exception e) when (e is HttpRequestException or AgentApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not report result of work {WorkId} yet: {Error}", work.WorkId, e.Message);
                break;
            }
            store.Update(s =>
            {
                var index = s.AppliedWork.FindIndex(w => w.WorkId == work.WorkId && w.RevisionId == work.RevisionId);
                if (index >= 0) s.AppliedWork[index] = s.AppliedWork[index] with { Reported = true };
            });
            if (acknowledged) posted++;
        }
        return posted;
    }
}

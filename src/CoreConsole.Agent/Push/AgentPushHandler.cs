using CoreConsole.Agent.Policy;
using CoreConsole.Agent.Running;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Agent.Push;

/// <summary>What the agent does with a verified push: apply settings at once, or cut the check-in wait short.</summary>
public sealed class AgentPushHandler(SettingsApplier applier, WakeSignal wake, ILogger<AgentPushHandler> logger)
{
    public async Task<PushResponse> HandleAsync(Guid agentId, PushRequest request, CancellationToken cancellationToken)
    {
        logger.LogInformation("Push {Kind} (work {WorkId})", request.Kind, request.WorkId);
        if (request.Kind != PushKind.ApplySettings || request.SettingRevision is null) return await HandleUnlockedAsync(request);
        using (await applier.HoldExchangeAsync(TimeSpan.FromSeconds(5), cancellationToken)) return await HandleUnlockedAsync(request);
    }

    private Task<PushResponse> HandleUnlockedAsync(PushRequest request)
    {
        switch (request.Kind)
        {
            case PushKind.ApplySettings when request.SettingRevision is null:
                return Task.FromResult(new PushResponse { Accepted = false, Message = "ApplySettings without settingRevision" });

            case PushKind.ApplySettings when request.WorkId is { } workId:
                var outcome = applier.ApplyWork(workId, request.SettingRevision);
                wake.Wake(); // report the result and the new installed revision promptly
                return Task.FromResult(new PushResponse
                {
                    Accepted = outcome.Succeeded,
                    AppliedRevisionId = outcome.Succeeded ? outcome.RevisionId : null,
                    Message = outcome.Message,
                });

            case PushKind.ApplySettings:
                var installed = applier.ApplyDesired(request.SettingRevision);
                wake.Wake();
                return Task.FromResult(new PushResponse { Accepted = installed, AppliedRevisionId = installed ? request.SettingRevision.Id : null });

            case PushKind.SyncCatalogue:
            case PushKind.CheckInNow:
                wake.Wake();
                return Task.FromResult(new PushResponse { Accepted = true });

            default:
                return Task.FromResult(new PushResponse { Accepted = false, Message = $"Unknown push kind {request.Kind}" });
        }
    }
}

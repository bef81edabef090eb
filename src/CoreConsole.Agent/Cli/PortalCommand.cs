using System.CommandLine;
using CoreConsole.Agent.Policy;
using CoreConsole.Contracts.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoreConsole.Agent.Cli;

/// <summary><c>portal list</c> / <c>portal run ID</c>: the local portal for Recommended/Optional work.</summary>
public static class PortalCommand
{
    public static Command Create()
    {
        var listDataDir = CommonOptions.DataDir();
        var list = new Command("list", "List Recommended/Optional work offered to this machine") { listDataDir };
        list.SetAction(parseResult =>
        {
            var state = CommonOptions.Store(parseResult, listDataDir).TryLoad();
            if (state is null || state.PortalOffers.Count == 0)
            {
                Console.WriteLine("No offers.");
                return 0;
            }
            foreach (var offer in state.PortalOffers)
                Console.WriteLine($"{offer.WorkId}  {offer.Portal,-11}  {offer.Title ?? "Change settings"} (revision {offer.SettingRevision.Number})");
            return 0;
        });

        var runDataDir = CommonOptions.DataDir();
        var workId = new Argument<Guid>("work-id") { Description = "Work id from 'portal list'" };
        var run = new Command("run", "Apply an offered item now and report the result") { workId, runDataDir };
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = CommonOptions.Store(parseResult, runDataDir);
            var state = store.TryLoad();
            if (state is not { IsEnrolled: true }) return CommonOptions.Fail("not enrolled");
            var id = parseResult.GetValue(workId);
            var offer = state.PortalOffers.Find(o => o.WorkId == id);
            if (offer is null) return CommonOptions.Fail($"no offer {id}; see 'coreconsole-agent portal list'");

            var outcome = new SettingsApplier(store).ApplyWork(offer.WorkId, offer.SettingRevision);
            using var http = new HttpClient { BaseAddress = new Uri(state.CoreUrl), Timeout = TimeSpan.FromSeconds(30) };
            var reported = await new ResultReporter(store, new AgentCoreClient(http), NullLogger<ResultReporter>.Instance).PostPendingAsync(cancellationToken);
            Console.WriteLine($"{(outcome.Succeeded ? "Applied" : "Failed")}: {outcome.Message}; {(reported > 0 ? "reported to the core" : "result will be reported by the running agent")}");
            return outcome.Succeeded ? 0 : 1;
        });

        return new Command("portal", "Self-service portal for optional work") { list, run };
    }
}

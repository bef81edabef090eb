using System.Globalization;
using System.Text.Json;
using CoreConsole.Application.Common.Jobs;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Contracts.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoreConsole.Application.Features.NetBootImages;

/// <summary>
/// After a catalogue is published: push <see cref="PushKind.SyncCatalogue"/> to every agent that currently reports a
/// representative role, so they fetch the new catalogue now instead of at their next check-in. Signed with each agent's
/// push key. An unreachable representative is not a failure of the job: it picks the version up when it checks in.
/// </summary>
public sealed class NotifyCatalogueHandler(
    IDbContextFactory<AppDbContext> dbFactory, IHttpClientFactory httpFactory, TimeProvider clock, ILogger<NotifyCatalogueHandler> logger) : IWorkItemHandler
{
    public const string WorkKind = "NotifyCatalogue";
    public const string HttpClientName = "AgentPush";
    public string Kind => WorkKind;

    public async Task RunAsync(WorkItem item, IProgress<string> progress, CancellationToken ct)
    {
        var version = item.Payload ?? throw new InvalidOperationException("NotifyCatalogue needs the catalogue version as payload.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reps = await db.Agents.AsNoTracking()
            .Where(a => a.RepresentativeSubnet != null && a.RevokedAt == null && a.PushUrl != null)
            .Select(a => new { a.Id, a.PushUrl, a.PushKey, a.RepresentativeSubnet })
            .ToListAsync(ct);
        if (reps.Count == 0)
        {
            progress.Report($"Catalogue {version}: no representative to notify.");
            return;
        }

        using var http = httpFactory.CreateClient(HttpClientName);
        int accepted = 0;
        var failures = new List<string>();
        foreach (var rep in reps)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new PushRequest { Kind = PushKind.SyncCatalogue, CatalogueVersion = version, WorkId = item.Id }, AgentProtocol.JsonOptions);
            using var request = new HttpRequestMessage(HttpMethod.Post, rep.PushUrl!.TrimEnd('/') + AgentProtocol.Push)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            AgentAuth.SignPush(request, rep.Id, rep.PushKey, body, clock.GetUtcNow());
            try
            {
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) accepted++;
                else failures.Add($"{rep.RepresentativeSubnet}: HTTP {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failures.Add($"{rep.RepresentativeSubnet}: {e.Message}");
                logger.LogInformation("SyncCatalogue push to agent {AgentId} failed: {Error}", rep.Id, e.Message);
            }

        }

        // One report at the end: progress writes are fire-and-forget, so several could land out of order.
        var summary = string.Create(CultureInfo.InvariantCulture, $"Catalogue {version}: {accepted} of {reps.Count} representatives told to sync");
        var text = failures.Count == 0 ? summary : $"{summary}; the others get it at check-in: {string.Join("; ", failures)}";
        progress.Report(text.Length <= 250 ? text : text[..249] + "…");
    }
}

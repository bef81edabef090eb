using CoreConsole.Application;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Web.Components;
using CoreConsole.Web.Endpoints;
using CoreConsole.Web.Features.NetBootImages;
using CoreConsole.Web.Setup;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// MudBlazor's and Blazor's files come from the build output's static web assets manifest in every environment, not only
// in Development: running the built dll as Production (scripts/demo.sh, a service) otherwise serves them empty. A published
// app has no such manifest and is unaffected.
builder.WebHost.UseStaticWebAssets();

var paths = CoreConsolePaths.FromConfiguration(builder.Configuration);
builder.Services.AddSingleton(paths);
builder.Services.AddCoreConsoleDatabase(builder.Configuration, paths);
var database = builder.Services.BuildDatabaseInfo();

builder.Services.AddCoreConsoleApplication();
builder.Services.AddCoreConsoleMediator();
builder.Services.AddCoreConsoleIdentity();
builder.Services.AddCoreConsoleJobs(builder.Configuration, database);
builder.Services.AddCoreConsoleHealth();
builder.Services.AddCoreConsoleHosting(builder.Configuration, paths);
builder.Services.AddNetBootShare(builder.Configuration);
builder.Services.AddAgentApi(builder.Configuration);
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

await app.InitializeCoreConsoleAsync();
app.ScheduleNbiHealth();

app.UseForwardedHeaders();
// Before status pages and auth: Macs and agents fetch anonymously, and a missing file is a plain 404.
app.UseNetBootShare();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseApiStatusProblems();
app.UseCoreConsoleAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAgentApi();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapAccountEndpoints();
app.MapNetBootImagesEndpoints();
app.MapAgentApi();
app.MapSubnetEndpoints();
app.MapCoreConsoleJobsDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.AnnounceUrls();
app.Run();

/// <summary>Entry point, public so WebApplicationFactory-based tests can host the app.</summary>
public partial class Program;

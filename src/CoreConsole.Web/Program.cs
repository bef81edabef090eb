using CoreConsole.Application;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Web.Components;
using CoreConsole.Web.Endpoints;
using CoreConsole.Web.Setup;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

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
builder.Services.AddAgentApi(builder.Configuration);
builder.Services.AddMudServices();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();

await app.InitializeCoreConsoleAsync();

app.UseForwardedHeaders();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseCoreConsoleAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAgentApi();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapAccountEndpoints();
app.MapAgentApi();
app.MapCoreConsoleJobsDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.AnnounceUrls();
app.Run();

/// <summary>Entry point, public so WebApplicationFactory-based tests can host the app.</summary>
public partial class Program;

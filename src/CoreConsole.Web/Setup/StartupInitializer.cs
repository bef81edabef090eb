using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Web.Setup;

/// <summary>Before the host starts serving: apply migrations, make sure the roles exist, and run headless setup if asked.</summary>
internal static class StartupInitializer
{
    public static async Task InitializeCoreConsoleAsync(this WebApplication app)
    {
        using var system = SystemContext.Enter();
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("CoreConsole.Startup");

        await using (var db = await sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            // Throws on pending model changes (EF 9+): a forgotten migration fails loudly here and in CI.
            await db.Database.MigrateAsync();
            await AgentApiSetup.EnableSqliteWalAsync(db);
        }

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));

        await EnsureSetupEnrollmentTokenAsync(sp, log);

        var config = sp.GetRequiredService<IConfiguration>();
        if (config["Setup:AdminEmail"] is { Length: > 0 } email && config["Setup:AdminPassword"] is { Length: > 0 } password)
        {
            var mediator = sp.GetRequiredService<ISender>();
            if (await mediator.Send(new GetSetupStateQuery()))
            {
                var result = await mediator.Send(new CreateFirstAdministratorCommand(email, password, password));
                if (result.IsSuccess) log.LogInformation("Created the first administrator {Email} from configuration", email);
                else throw new InvalidOperationException($"Setup:AdminEmail/AdminPassword rejected: {Describe(result.Error!)}");
            }
        }
    }

    /// <summary>Setup:EnrollmentToken (automation, load tests): a multi-use token with that text, created once.</summary>
    private static async Task EnsureSetupEnrollmentTokenAsync(IServiceProvider sp, ILogger log)
    {
        if (sp.GetRequiredService<IConfiguration>()["Setup:EnrollmentToken"] is not { Length: > 0 } text) return;
        var result = await sp.GetRequiredService<ISender>().Send(new Application.Features.Inventory.CreateEnrollmentTokenCommand("Setup:EnrollmentToken", null, null, text));
        if (result.IsSuccess) log.LogInformation("Created the enrolment token from Setup:EnrollmentToken");
        else if (result.Error!.Kind != Application.Common.Results.ErrorKind.Conflict)
            throw new InvalidOperationException($"Setup:EnrollmentToken rejected: {Describe(result.Error)}");
    }

    private static string Describe(Application.Common.Results.Error e) =>
        e.FieldErrors is { } f ? string.Join(" ", f.SelectMany(x => x.Value)) : e.Message;
}

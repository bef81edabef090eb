using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CoreConsole.Application.Common.Persistence;

/// <summary>
/// Lets `dotnet ef` build the model without booting the web host (Identity, Hangfire, Kestrel).
/// Pick the provider with `-- --provider Sqlite|SqlServer`; connection strings are never opened by `migrations add`.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var i = Array.IndexOf(args, "--provider");
        var name = i >= 0 && i + 1 < args.Length ? args[i + 1] : "Sqlite";
        if (!Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider))
            throw new ArgumentException($"Unknown provider '{name}'; use Sqlite or SqlServer.");
        var cs = provider == DatabaseProvider.Sqlite
            ? "Data Source=design-time.db"
            : "Server=localhost;Database=CoreConsoleDesign;Trusted_Connection=True;TrustServerCertificate=True";
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseCoreConsoleDatabase(provider, cs);
        return new AppDbContext(builder.Options);
    }
}

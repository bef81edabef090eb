using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Users;

[RequiresRole(Roles.Administrator)]
public sealed record ListUsersQuery : IQuery<IReadOnlyList<UserRow>>;

public sealed class ListUsersHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : IQueryHandler<ListUsersQuery, IReadOnlyList<UserRow>>
{
    public async ValueTask<IReadOnlyList<UserRow>> Handle(ListUsersQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .AsNoTracking().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserRow(
            u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName,
            roles.FirstOrDefault(r => r.UserId == u.Id)?.Name ?? Roles.Viewer,
            u.IsDisabled, !u.IsDisabled && u.LockoutEnd > now, u.CreatedAt, u.ConcurrencyStamp ?? "")).ToList();
    }

}

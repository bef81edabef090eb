using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Users;

/// <summary>Whether first-run setup is still open (no users exist).</summary>
public sealed record GetSetupStateQuery : IQuery<bool>, IAllowAnonymous;

public sealed class GetSetupStateHandler(UserAccounts accounts) : IQueryHandler<GetSetupStateQuery, bool>
{
    public async ValueTask<bool> Handle(GetSetupStateQuery query, CancellationToken ct) =>
        await accounts.RunAsync(async users => !await users.Users.AnyAsync(ct));
}

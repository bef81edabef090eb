using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Subnets.Election;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Subnets;

// The subnet services page's commands. Operators and administrators; all audited.

[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record AddSubnetCommand(string Cidr, string? Name) : ICommand<Result<Guid>>, IAuditedCommand;

/// <summary>Enable or disable PXE on one or many subnets.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record SetPxeEnabledCommand(IReadOnlyList<Guid> SubnetIds, bool Enabled) : ICommand<Result<int>>, IAuditedCommand;

/// <summary>Pin (one agent, or several for a small pool), prefer, or clear an agent's preference as representative.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record SetAgentPreferenceCommand(Guid AgentId, AgentPreference Preference) : ICommand<Result>, IAuditedCommand;

/// <summary>Publish the SIP NetBoot whitelist for a subnet: the addresses its Macs were told to trust.</summary>
[RequiresRole(Roles.Administrator, Roles.Operator)]
public sealed record PublishWhitelistCommand(Guid SubnetId, IReadOnlyList<string> Addresses) : ICommand<Result>, IAuditedCommand;

public sealed class AddSubnetValidator : AbstractValidator<AddSubnetCommand>
{
    public AddSubnetValidator()
    {
        RuleFor(x => x.Cidr).NotEmpty().WithMessage("Enter a subnet in CIDR form, e.g. 10.0.1.0/24.")
            .Must(c => c is null || c.Trim().Length == 0 || Ipv4Network.TryParse(c.Trim(), out _))
            .WithMessage(c => CidrProblem(c.Cidr));
        RuleFor(x => x.Name).MaximumLength(128);
    }

    internal static string CidrProblem(string? cidr)
    {
        var text = cidr?.Trim() ?? "";
        var slash = text.IndexOf('/');
        if (slash < 0) return "Add the prefix length, e.g. 10.0.1.0/24.";
        if (!Ipv4Network.TryParseAddress(text[..slash], out var address)) return "The network address must be four numbers 0–255, e.g. 10.0.1.0.";
        if (!int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 32) return "The prefix length must be between 0 and 32.";
        return $"Host bits are set: did you mean {Ipv4Network.Of(address, prefix).Cidr}?";
    }
}

public sealed class SetPxeEnabledValidator : AbstractValidator<SetPxeEnabledCommand>
{
    public SetPxeEnabledValidator() =>
        RuleFor(x => x.SubnetIds).NotEmpty().WithMessage("Select at least one subnet.").Must(s => s.Count <= 1000).WithMessage("Select at most 1000 subnets at once.");
}

public sealed class SetAgentPreferenceValidator : AbstractValidator<SetAgentPreferenceCommand>
{
    public SetAgentPreferenceValidator()
    {
        RuleFor(x => x.AgentId).NotEmpty();
        RuleFor(x => x.Preference).IsInEnum();
    }
}

public sealed class PublishWhitelistValidator : AbstractValidator<PublishWhitelistCommand>
{
    public PublishWhitelistValidator()
    {
        RuleFor(x => x.Addresses).NotEmpty().WithMessage("Choose at least one address to whitelist.")
            .Must(a => a.Count <= 16).WithMessage("Keep the whitelist small (at most 16 addresses): pin a pool instead.");
        RuleForEach(x => x.Addresses).Must(a => Ipv4Network.TryParseAddress(a?.Trim(), out _)).WithMessage("'{PropertyValue}' is not an IPv4 address (A.B.C.D).");
    }
}

public sealed class ManageSubnetServicesHandler(
    IDbContextFactory<AppDbContext> dbFactory, SubnetElection election, ICurrentUser currentUser, TimeProvider clock) :
    ICommandHandler<AddSubnetCommand, Result<Guid>>,
    ICommandHandler<SetPxeEnabledCommand, Result<int>>,
    ICommandHandler<SetAgentPreferenceCommand, Result>,
    ICommandHandler<PublishWhitelistCommand, Result>
{
    public async ValueTask<Result<Guid>> Handle(AddSubnetCommand c, CancellationToken ct)
    {
        Ipv4Network.TryParse(c.Cidr.Trim(), out var parsed);
        var network = parsed!.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Subnets.AnyAsync(s => s.Cidr == network.Cidr, ct))
            return Error.Validation(nameof(c.Cidr), $"{network.Cidr} is already listed.");
        var subnet = new Subnet
        {
            Id = Guid.NewGuid(), Cidr = network.Cidr, NetworkAddress = network.NetworkAddress, NetworkNumber = network.Network,
            PrefixLength = network.PrefixLength, Name = string.IsNullOrWhiteSpace(c.Name) ? null : c.Name.Trim(),
            Source = SubnetSource.Manual, CreatedAt = clock.GetUtcNow(),
        };
        db.Subnets.Add(subnet);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record("Subnet", subnet.Id, null, new { subnet.Cidr, subnet.Name }, $"Subnet {subnet.Cidr} added");
        return subnet.Id;
    }

    public async ValueTask<Result<int>> Handle(SetPxeEnabledCommand c, CancellationToken ct)
    {
        List<Guid> touched = [];
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var ids = c.SubnetIds.Distinct().ToList();
            var subnets = await db.Subnets.Where(s => ids.Contains(s.Id)).ToListAsync(ct);
            if (subnets.Count != ids.Count) return Error.NotFound("One of the selected subnets");
            var services = await db.SubnetServices.Where(s => ids.Contains(s.SubnetId) && s.Service == SubnetService.Pxe).ToListAsync(ct);
            var now = clock.GetUtcNow();
            foreach (var subnet in subnets)
            {
                var svc = services.FirstOrDefault(s => s.SubnetId == subnet.Id);
                if (svc is null)
                {
                    svc = new SubnetService { Id = Guid.NewGuid(), SubnetId = subnet.Id, Service = SubnetService.Pxe, UpdatedAt = now };
                    db.SubnetServices.Add(svc);
                }
                if (svc.DesiredEnabled == c.Enabled) continue;
                svc.DesiredEnabled = c.Enabled;
                svc.UpdatedAt = now;
                touched.Add(svc.Id);
                AuditTrail.Record("SubnetService", svc.Id, new { Pxe = !c.Enabled }, new { Pxe = c.Enabled },
                    $"PXE {(c.Enabled ? "enabled" : "disabled")} on {subnet.Cidr}");
            }
            await db.SaveChangesAsync(ct);
        }
        // Elect, or withdraw the role and push the representative, now rather than at the next sweep.
        foreach (var id in touched) await election.ReevaluateAsync(id, ct);
        return touched.Count;
    }

    public async ValueTask<Result> Handle(SetAgentPreferenceCommand c, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var agent = await db.Agents.Include(a => a.Device).FirstOrDefaultAsync(a => a.Id == c.AgentId, ct);
            if (agent is null) return Error.NotFound("The agent");
            if (agent.Preference == c.Preference) return Result.Ok();
            var before = agent.Preference;
            agent.Preference = c.Preference;
            await db.SaveChangesAsync(ct);
            AuditTrail.Record("Agent", agent.Id, new { Preference = before }, new { c.Preference },
                $"{agent.Device?.HostName ?? agent.Id.ToString()}: representative preference {before} → {c.Preference}");
        }
        await election.ReevaluateForAgentAsync(c.AgentId, ct);
        return Result.Ok();
    }

    public async ValueTask<Result> Handle(PublishWhitelistCommand c, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subnet = await db.Subnets.FirstOrDefaultAsync(s => s.Id == c.SubnetId, ct);
        if (subnet is null) return Error.NotFound("The subnet");
        var addresses = SipWhitelist.Normalise(c.Addresses);
        var me = await currentUser.GetAsync(ct);
        var whitelist = await db.PublishedWhitelists.FirstOrDefaultAsync(w => w.SubnetId == c.SubnetId, ct);
        var before = whitelist?.AddressList.ToList();
        if (whitelist is null)
        {
            whitelist = new PublishedWhitelist { SubnetId = c.SubnetId };
            db.PublishedWhitelists.Add(whitelist);
        }
        whitelist.Addresses = string.Join(",", addresses);
        whitelist.PublishedAt = clock.GetUtcNow();
        whitelist.PublishedBy = me.Name;
        // A new whitelist is judged afresh: warn again if the current representative is outside it.
        await db.SubnetServices.Where(s => s.SubnetId == c.SubnetId).ExecuteUpdateAsync(u => u.SetProperty(s => s.WhitelistWarnedTerm, (long?)null).SetProperty(s => s.Version, s => s.Version + 1), ct);
        await db.SaveChangesAsync(ct);
        AuditTrail.Record("PublishedWhitelist", subnet.Id, before is null ? null : new { Addresses = before }, new { Addresses = addresses },
            $"SIP NetBoot whitelist for {subnet.Cidr} published: {string.Join(", ", addresses)}");
        return Result.Ok();
    }
}

using System.Security.Cryptography;
using System.Text;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Persistence;
using CoreConsole.Application.Common.Results;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Application.Features.Users;
using CoreConsole.Contracts.Agents;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CoreConsole.Application.Features.Agents;

/// <summary>
/// An agent exchanges an enrolment token for an identity. Anonymous (the token authorises); the token is never audited.
/// Re-enrolment of a known machine (same serial, else same primary MAC) reuses its device and agent id and rotates the secret,
/// so an agent that lost its state comes back without a duplicate device.
/// </summary>
public sealed record EnrollAgentCommand(
    [property: NotAudited] string Token, string HostName, string? SerialNumber, string? PrimaryMac,
    string? Model, string? OsName, string? OsVersion, string? AgentVersion)
    : ICommand<Result<EnrollResponse>>, IAuditedCommand, IAllowAnonymous
{
    public static EnrollAgentCommand From(EnrollRequest r) =>
        new(r.Token, r.HostName, r.SerialNumber, r.PrimaryMac, r.Model, r.OsName, r.OsVersion, r.AgentVersion);
}

public sealed class EnrollAgentValidator : AbstractValidator<EnrollAgentCommand>
{
    public EnrollAgentValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(256);
        RuleFor(x => x.HostName).NotEmpty().PlainText(255);
        RuleFor(x => x.SerialNumber).PlainText(64);
        RuleFor(x => x.PrimaryMac).Must(AgentInputRules.IsUsableMac).When(x => x.PrimaryMac is not null)
            .WithMessage("'{PropertyValue}' is not a MAC address (AA:BB:CC:DD:EE:FF)");
        RuleFor(x => x.Model).PlainText(128);
        RuleFor(x => x.OsName).PlainText(64);
        RuleFor(x => x.OsVersion).PlainText(64);
        RuleFor(x => x.AgentVersion).PlainText(64);
    }
}

public sealed class EnrollAgentHandler(
    IDbContextFactory<AppDbContext> dbFactory, AgentCredentialCache credentials, AgentStateCache states, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<AgentApiOptions> options, WriteGate writeGate)
    : ICommandHandler<EnrollAgentCommand, Result<EnrollResponse>>
{
    /// <summary>The one message for every refused token, so a caller cannot tell unknown from expired from used up.</summary>
    public const string TokenRefused = "The enrolment token is unknown, expired, revoked or used up.";

    public async ValueTask<Result<EnrollResponse>> Handle(EnrollAgentCommand c, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tokenHash = EnrollmentTokens.Hash(c.Token);
        var serial = RecordCheckIn.NormaliseSerial(c.SerialNumber);
        var mac = c.PrimaryMac is null ? null : RecordCheckIn.NormaliseMac(c.PrimaryMac);

        using var writing = await writeGate.EnterAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Claim one use atomically: a replayed one-time token (or a race of two) matches no row the second time.
        var claimed = await db.EnrollmentTokens
            .Where(t => t.TokenHash == tokenHash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now)
                        && (t.MaxUses == null || t.UseCount < t.MaxUses))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UseCount, t => t.UseCount + 1).SetProperty(t => t.LastUsedAt, now), ct);
        if (claimed == 0) return Error.Forbidden(TokenRefused);
        var token = await db.EnrollmentTokens.AsNoTracking().Where(t => t.TokenHash == tokenHash).Select(t => new { t.Id, t.Name }).FirstAsync(ct);

        var device = await FindDeviceAsync(db, serial, mac, ct);
        var isNewDevice = device is null;
        if (device is null)
        {
            // A MAC another machine holds (a shared USB adapter) is not taken at enrolment; the first check-in settles it, audited.
            var macTaken = mac is not null && await db.Devices.AnyAsync(d => d.PrimaryMac == mac, ct);
            device = new Device { Id = Guid.NewGuid(), SerialNumber = serial, PrimaryMac = macTaken ? null : mac, FirstSeenAt = now, LastSeenAt = now, InventoryAt = now };
            db.Devices.Add(device);
        }
        else if (device.SerialNumber is null && serial is not null)
        {
            device.SerialNumber = serial; // a MAC-matched device learns its serial
        }
        if (isNewDevice)
        {
            // Enough to show the device at once; the first check-in writes the full inventory (its hash is still null).
            device.HostName = c.HostName.Trim();
            device.Model = c.Model?.Trim() ?? "";
            device.OsName = c.OsName?.Trim() ?? "";
            device.OsVersion = c.OsVersion?.Trim() ?? "";
        }
        // A known device keeps the inventory its check-ins wrote (and its hash), so re-enrolment rewrites nothing that did not change.

        var secret = AgentAuth.GenerateSecret();
        var agent = isNewDevice ? null : await db.Agents.FirstOrDefaultAsync(a => a.DeviceId == device.Id, ct);
        var reEnrolled = agent is not null;
        if (agent is null)
        {
            agent = new Agent { Id = Guid.NewGuid(), DeviceId = device.Id, CheckInIntervalSeconds = options.Value.DefaultCheckInIntervalSeconds };
            db.Agents.Add(agent);
        }
        agent.SecretHash = AgentAuth.HashSecret(secret);
        agent.PushKey = AgentAuth.DerivePushKey(secret);
        agent.EnrolledAt = now;
        agent.RevokedAt = null;
        agent.StateHash = null;
        if (!string.IsNullOrWhiteSpace(c.AgentVersion)) agent.AgentVersion = c.AgentVersion.Trim();

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        credentials.Invalidate(agent.Id);
        states.Invalidate(agent.Id);

        AuditTrail.Record("Agent", agent.Id, null, new { DeviceId = device.Id, device.HostName, device.SerialNumber, device.PrimaryMac, Token = token.Name },
            reEnrolled
                ? $"{device.HostName} re-enrolled with token '{token.Name}': same device and agent id, new secret"
                : $"{device.HostName} enrolled with token '{token.Name}'{(isNewDevice ? "" : " (known device)")}");
        return new EnrollResponse { AgentId = agent.Id, Secret = secret, CheckInIntervalSeconds = options.Value.DefaultCheckInIntervalSeconds, CoreTime = now };
    }

    /// <summary>Serial first; else the primary MAC, but never a device whose (different) serial says it is another machine.</summary>
    private static async Task<Device?> FindDeviceAsync(AppDbContext db, string? serial, string? mac, CancellationToken ct)
    {
        if (serial is not null)
        {
            var bySerial = await db.Devices.Where(d => d.SerialNumber == serial).OrderBy(d => d.FirstSeenAt).FirstOrDefaultAsync(ct);
            if (bySerial is not null) return bySerial;
        }
        if (mac is null) return null;
        return await db.Devices.Where(d => d.PrimaryMac == mac && (serial == null || d.SerialNumber == null))
            .OrderBy(d => d.FirstSeenAt).FirstOrDefaultAsync(ct);
    }
}

/// <summary>Token text and hashing: tokens are shown once; only the SHA-256 is stored.</summary>
public static class EnrollmentTokens
{
    public const string Prefix = "cce_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim())));
}

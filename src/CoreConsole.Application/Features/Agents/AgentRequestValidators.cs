using System.Text.RegularExpressions;
using CoreConsole.Application.Features.Subnets;
using CoreConsole.Contracts.Agents;
using FluentValidation;

namespace CoreConsole.Application.Features.Agents;

/// <summary>Rules shared by the agent API's bodies: what a plausible machine can report.</summary>
public static partial class AgentInputRules
{
    public const int MaxMacAddresses = 32;
    public const int MaxIpv4Interfaces = 32;

    [GeneratedRegex("^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")]
    public static partial Regex MacPattern();

    public static bool HasNoControlCharacters(string? value) => value is null || !value.Any(char.IsControl);

    /// <summary>Printable text of bounded length: model identifiers, host names, OS names, serials.</summary>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength).Must(HasNoControlCharacters).WithMessage("must not contain control characters");

    public static bool IsUsableMac(string? mac) =>
        mac is not null && MacPattern().IsMatch(mac.Trim()) && mac.Trim().Replace("-", ":") is not ("00:00:00:00:00:00" or "FF:FF:FF:FF:FF:FF" or "ff:ff:ff:ff:ff:ff");
}

public sealed class CheckInRequestValidator : AbstractValidator<CheckInRequest>
{
    public CheckInRequestValidator()
    {
        RuleFor(x => x.ProtocolVersion).Equal(AgentProtocol.Version).WithMessage($"protocol version {AgentProtocol.Version} is the only one supported");
        RuleFor(x => x.HostName).NotEmpty().PlainText(255);
        RuleFor(x => x.OsName).NotEmpty().PlainText(64);
        RuleFor(x => x.OsVersion).NotEmpty().PlainText(64);
        RuleFor(x => x.Model).NotEmpty().WithMessage("a model identifier is required").PlainText(128);
        RuleFor(x => x.SerialNumber).PlainText(64);
        RuleFor(x => x.AgentVersion).NotEmpty().PlainText(64);
        RuleFor(x => x.MacAddresses).NotNull().Must(m => m.Count <= AgentInputRules.MaxMacAddresses)
            .WithMessage($"at most {AgentInputRules.MaxMacAddresses} MAC addresses");
        RuleForEach(x => x.MacAddresses).Must(AgentInputRules.IsUsableMac).WithMessage("'{PropertyValue}' is not a MAC address (AA:BB:CC:DD:EE:FF)");
        RuleFor(x => x.Ipv4).NotNull().Must(i => i.Count <= AgentInputRules.MaxIpv4Interfaces)
            .WithMessage($"at most {AgentInputRules.MaxIpv4Interfaces} IPv4 interfaces");
        RuleForEach(x => x.Ipv4).ChildRules(i =>
        {
            i.RuleFor(x => x).NotNull();
            i.RuleFor(x => x.Address).Custom((address, ctx) =>
            {
                if (Ipv4Network.TryParseAddress(address, out var value) is false) ctx.AddFailure("address", $"'{address}' is not an IPv4 address (A.B.C.D)");
                else if (value == 0) ctx.AddFailure("address", "0.0.0.0 is not an interface address");
                else if (value >> 28 == 0xE) ctx.AddFailure("address", $"{address} is a multicast address");
                else if (value >> 28 == 0xF) ctx.AddFailure("address", $"{address} is a reserved or broadcast address");
            });
            i.RuleFor(x => x.PrefixLength).InclusiveBetween(1, 32).WithMessage("prefix length must be between 1 and 32");
        }).OverridePropertyName("ipv4");
        RuleFor(x => x.UptimeSeconds).InclusiveBetween(0, 100L * 365 * 86_400);
        RuleFor(x => x.FreeDiskBytes).GreaterThanOrEqualTo(0);
        RuleFor(x => x.InstalledSettingRevisionNumber).GreaterThanOrEqualTo(0);
        RuleFor(x => x.PushUrl).MaximumLength(256)
            .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            .WithMessage("must be an absolute http(s) URL");
        RuleFor(x => x.InstalledSettings!).ChildRules(s =>
        {
            s.RuleFor(x => x.CheckInIntervalSeconds).InclusiveBetween(1, 86_400);
            s.RuleFor(x => x.PolicyIntervalSeconds).InclusiveBetween(1, 7 * 86_400);
        }).When(x => x.InstalledSettings is not null);
        RuleFor(x => x.Capabilities!).ChildRules(c =>
        {
            c.RuleFor(x => x.Cores).InclusiveBetween(0, 4096);
            c.RuleFor(x => x.MemoryBytes).GreaterThanOrEqualTo(0);
            c.RuleFor(x => x.FreeDiskBytes).GreaterThanOrEqualTo(0);
        }).When(x => x.Capabilities is not null);
        RuleFor(x => x.Representative!).ChildRules(r =>
        {
            r.RuleFor(x => x.Subnet).Must(s => Ipv4Network.TryParse(s, out _)).WithMessage("must be a CIDR such as 10.0.1.0/24");
            r.RuleFor(x => x.Term).GreaterThanOrEqualTo(0);
            r.RuleFor(x => x.SyncProgress).InclusiveBetween(0, 1).When(x => x.SyncProgress is not null);
            r.RuleFor(x => x.CatalogueVersion).PlainText(128);
            r.RuleFor(x => x.Error).MaximumLength(4096);
        }).When(x => x.Representative is not null);
    }
}

public sealed class WorkResultValidator : AbstractValidator<WorkResult>
{
    public WorkResultValidator()
    {
        RuleFor(x => x.WorkId).NotEmpty();
        RuleFor(x => x.Message).MaximumLength(4096);
    }
}

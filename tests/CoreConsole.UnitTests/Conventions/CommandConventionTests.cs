using System.Reflection;
using CoreConsole.Application;
using CoreConsole.Application.Common.Auditing;
using CoreConsole.Application.Common.Security;
using CoreConsole.Application.Features.Users;
using Mediator;

namespace CoreConsole.UnitTests.Conventions;

/// <summary>Guards the rules every new feature must follow, so a forgotten attribute fails the build rather than production.</summary>
public sealed class CommandConventionTests
{
    private static readonly Type[] Messages = typeof(ApplicationSetup).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))
        .ToArray();

    private static readonly Type[] Commands = Messages.Where(t => typeof(IBaseCommand).IsAssignableFrom(t)).ToArray();

    [Fact]
    public void The_scan_finds_the_application_commands()
    {
        Commands.ShouldContain(typeof(CreateUserCommand));
        Commands.ShouldContain(typeof(ChangeUserRoleCommand));
        Commands.ShouldNotContain(typeof(ListUsersQuery));
    }

    [Fact]
    public void Every_command_is_audited() =>
        Commands.Where(t => !typeof(IAuditedCommand).IsAssignableFrom(t)).Select(t => t.FullName).ShouldBeEmpty(
            "commands change state, so they must implement IAuditedCommand");

    [Fact]
    public void Every_command_declares_who_may_send_it() =>
        Commands.Where(t => t.GetCustomAttribute<RequiresRoleAttribute>() is null && !typeof(IAllowAnonymous).IsAssignableFrom(t))
            .Select(t => t.FullName).ShouldBeEmpty("commands need [RequiresRole(...)] (or IAllowAnonymous for first-run setup)");

    [Fact]
    public void Role_requirements_name_only_console_roles() =>
        Messages.Select(t => t.GetCustomAttribute<RequiresRoleAttribute>()).OfType<RequiresRoleAttribute>()
            .SelectMany(a => a.Roles).Where(r => !Roles.All.Contains(r)).ShouldBeEmpty();

    [Fact]
    public void Only_first_run_setup_may_be_sent_anonymously() =>
        Messages.Where(t => typeof(IAllowAnonymous).IsAssignableFrom(t)).ShouldBe(
            // Agent enrolment is anonymous at the pipeline: the enrolment token in the body is the credential.
            [typeof(CreateFirstAdministratorCommand), typeof(GetSetupStateQuery), typeof(Application.Features.Agents.EnrollAgentCommand)], ignoreOrder: true,
            "anonymous messages bypass authorization; adding one needs a deliberate review");

    [Fact]
    public void Password_properties_of_commands_are_never_audited() =>
        Commands.SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.Name.Contains("Password", StringComparison.OrdinalIgnoreCase)
                        && x.Property.GetCustomAttribute<NotAuditedAttribute>() is null)
            .Select(x => $"{x.Type.Name}.{x.Property.Name}").ShouldBeEmpty();
}

using CoreConsole.Application;
using CoreConsole.Application.Common.Behaviors;
using CoreConsole.Application.Common.Security;

namespace CoreConsole.Web.Setup;

internal static class MediatorSetup
{
    public static IServiceCollection AddCoreConsoleMediator(this IServiceCollection services)
    {
        // Scoped: behaviors resolve the circuit's (or request's) current user. Order is outermost first.
        services.AddMediator((Mediator.MediatorOptions o) =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.Assemblies = [typeof(ApplicationSetup)];
            o.PipelineBehaviors =
            [
                typeof(LoggingBehavior<,>),
                typeof(AuthorizationBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(AuditBehavior<,>),
                typeof(ConcurrencyBehavior<,>),
            ];
        });
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, WebCurrentUser>();
        return services;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using OtpGate.Server.Api;
using OtpGate.Verification.Credentials;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// The Twilio Verify v2-compatible surface at <c>/v2</c> (docs/twilio-verify.md): Basic authentication with
/// Twilio-shaped credentials, the services and verifications endpoints, and the admin API that issues credentials.
/// </summary>
internal static class TwilioSetup
{
    public static IServiceCollection AddTwilioVerify(this IServiceCollection services)
    {
        services.AddSingleton<TwilioCredentials>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TwilioAuthenticationHandler>(TwilioAuthenticationHandler.SchemeName, null);
        return services;
    }

    /// <summary>
    /// For the default authentication scheme: <c>/v2</c> is authenticated by <see cref="TwilioAuthenticationHandler"/>
    /// before the rate limiter runs, so its limits count per credential as API keys' do.
    /// </summary>
    public static string? SchemeFor(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase) ? TwilioAuthenticationHandler.SchemeName : null;

    public static IEndpointRouteBuilder MapTwilioVerify(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2")
            .ExcludeFromDescription()
            .RequireRateLimiting(RateLimits.ApiPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(Verifications.VerificationsApi.MaxBodyBytes))
            .AddEndpointFilter(TwilioCallersOnly);
        TwilioServicesEndpoints.Map(v2);
        TwilioVerificationsEndpoints.Map(v2);

        // Anything else under /v2 (Twilio's resources OtpGate does not serve, a mistyped path): Twilio's not found.
        v2.Map("/{**rest}", (HttpContext context) => TwilioError.Missing(context));

        app.MapTwilioCredentials();
        return app;
    }

    private static async ValueTask<object?> TwilioCallersOnly(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        TwilioCaller.From(invocation.HttpContext) is null ? TwilioError.Unauthenticated() : await next(invocation);
}

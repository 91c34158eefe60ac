using Microsoft.AspNetCore.Authentication;
using OtpGate.Server.Verifications;

namespace OtpGate.Server.Api;

/// <summary>The API's edges: problem details for every error, API keys, rate limits, and the OpenAPI document.</summary>
internal static class ApiSetup
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        // Every problem, including those ASP.NET Core writes itself (404, 405, 415 ...), carries a stable code.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", ApiProblems.CodeForStatus(status));
            context.ProblemDetails.Detail ??= ApiProblems.DefaultDetail(status);
            context.ProblemDetails.Type ??= ApiProblems.TypeForStatus(status);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddApiJson();

        // Unreadable bodies throw, so ApiExceptionHandler can say what was wrong instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName,
                options => options.ForwardDefaultSelector = TwilioVerify.TwilioSetup.SchemeFor);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationHandler.PolicyName, policy =>
            policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddOtpGateRateLimits();

        services.AddOpenApi("v1", options => options.AddDocumentTransformer<ApiDocument>());
        services.AddSingleton<VerificationWatch>();
        services.AddSingleton<EventStreamLimits>();
        return services;
    }
}

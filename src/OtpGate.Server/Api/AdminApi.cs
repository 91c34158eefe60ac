using Microsoft.AspNetCore.Mvc;

namespace OtpGate.Server.Api;

/// <summary>
/// The admin API's groups (<c>/v1/services</c>, <c>/v1/events</c>, <c>/v1/twilio-credentials</c>): an API key, the
/// API's rate limit and body cap, and admin keys only. A service's key gets 403 <c>forbidden</c> naming the key kind
/// it needs: the endpoints are documented, so a 404 would hide nothing and only confuse.
/// </summary>
internal static class AdminApi
{
    /// <param name="managedWhat">The sentence's start, e.g. "Services are managed".</param>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix, string tag, string managedWhat)
    {
        var refusal = $"{managedWhat} with an admin key (Api:AdminKeys:<name>); this key belongs to a service.";
        return app.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimits.ApiPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(Verifications.VerificationsApi.MaxBodyBytes))
            .AddEndpointFilter(async (invocation, next) =>
                invocation.HttpContext.User.FindFirst(ApiKeyAuthenticationHandler.ServiceClaim) is not null
                    ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", refusal)
                    : await next(invocation))
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OtpGate.Server.Api;

/// <summary><c>Authorization: Bearer &lt;key&gt;</c> against <see cref="ApiKeyStore"/>; a missing or wrong key gets a 401 problem detail.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string PolicyName = "ApiKey";

    /// <summary>The claim naming the service a key acts in; an admin key has none.</summary>
    public const string ServiceClaim = "otpgate:service";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Only the API is keyed: the sandbox's own Bearer tokens and the pages are not this handler's business.
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0 || !Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || keys.Find(header["Bearer ".Length..].Trim()) is not { } who)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        Claim[] claims = who.Service is { } service
            ? [new Claim(ClaimTypes.Name, who.Name), new Claim(ServiceClaim, service)]
            : [new Claim(ClaimTypes.Name, who.Name)];
        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var hadKey = Request.Headers.Authorization.Count > 0;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = ApiProblems.Details(StatusCodes.Status401Unauthorized, "unauthorized",
                hadKey ? "The API key is not valid." : "This endpoint needs an API key: send it as Authorization: Bearer <key>."),
        });
    }
}

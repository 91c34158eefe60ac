using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Credentials;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// HTTP Basic on <c>/v2</c>, as Twilio's libraries send it (preemptively, no challenge round trip): an account sid and
/// its auth token, or an API key sid (<c>SK…</c>) and its secret, acting as its account. Accounts declared in
/// <c>Api:TwilioAccounts</c> are checked in memory, issued ones by reading their row at every request (so a revocation
/// is seen at once on every instance). Anything else is left unauthenticated and answered 401 with Twilio's 20003.
/// </summary>
internal sealed class TwilioAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TwilioCredentials credentials,
    IOptions<ApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TwilioBasic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryReadBasic(Request.Headers.Authorization.ToString(), out var sid, out var secret))
        {
            return AuthenticateResult.Fail("No Basic credentials.");
        }

        var caller = FromConfiguration(sid, secret) ?? (await credentials.AuthenticateAsync(sid, secret, Context.RequestAborted) is { } issued
            ? new TwilioCaller(issued.Sid, issued.AccountSid, issued.ServiceId)
            : null);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The credentials are not valid.");
        }

        var identity = new ClaimsIdentity(caller.Claims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private TwilioCaller? FromConfiguration(string sid, string secret)
    {
        foreach (var declared in api.Value.TwilioAccounts.Values)
        {
            if (string.Equals(declared.AccountSid, sid, StringComparison.OrdinalIgnoreCase))
            {
                return CryptographicOperations.FixedTimeEquals(TwilioCredentials.Hash(secret), TwilioCredentials.Hash(declared.AuthToken.Trim()))
                    ? new TwilioCaller(declared.AccountSid, declared.AccountSid, declared.Admin ? null : declared.Service)
                    : null;
            }
        }

        return null;
    }

    private static bool TryReadBasic(string header, out string user, out string password)
    {
        user = password = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 1024)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[768];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(decoded[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        (user, password) = (text[..colon], text[(colon + 1)..]);
        return password.Length > 0;
    }
}

/// <summary>Who called <c>/v2</c>: the credential's sid, the account it acts as, and its one service (null: an admin account, any service).</summary>
internal sealed record TwilioCaller(string CredentialSid, string AccountSid, string? ServiceId)
{
    private const string AccountClaim = "otpgate:twilio-account";
    private const string ServiceClaim = "otpgate:twilio-service";

    public bool IsAdmin => ServiceId is null;

    /// <summary>The caller, or null when the request was not authenticated with Twilio credentials.</summary>
    public static TwilioCaller? From(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: TwilioAuthenticationHandler.SchemeName, Name: { } name }
        && context.User.FindFirst(AccountClaim)?.Value is { } account
            ? new TwilioCaller(name["twilio:".Length..], account, context.User.FindFirst(ServiceClaim)?.Value)
            : null;

    // The name partitions the HTTP rate limit (Api:RateLimit:PerKeyPerMinute) per credential, as API keys' names do.
    public IEnumerable<Claim> Claims()
    {
        yield return new Claim(ClaimTypes.Name, "twilio:" + CredentialSid);
        yield return new Claim(AccountClaim, AccountSid);
        if (ServiceId is not null)
        {
            yield return new Claim(ServiceClaim, ServiceId);
        }
    }
}

namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// The Twilio-shaped accounts the test server declares in configuration (<c>AC</c> and 32 hex digits, as Twilio's
/// libraries expect). API keys (<c>SK…</c>) are issued through the admin API: <see cref="OtpGateServer.ShopApiKeyAsync"/>.
/// </summary>
public static class Credentials
{
    /// <summary>An admin account: manages services, and acts in any of them.</summary>
    public const string AdminAccountSid = "AC0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
    public const string AdminAuthToken = "admin-auth-token-0123456789abcdef";

    /// <summary>The account of the configured service <c>shop</c>.</summary>
    public const string ShopAccountSid = "AC5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";
    public const string ShopAuthToken = "shop-auth-token-0123456789abcdef";

    /// <summary>The configuration that declares the accounts (<c>Api:TwilioAccounts</c>, docs/twilio-verify.md).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Api:TwilioAccounts:admin:AccountSid", AdminAccountSid),
        new("Api:TwilioAccounts:admin:AuthToken", AdminAuthToken),
        new("Api:TwilioAccounts:admin:Admin", "true"),
        new("Api:TwilioAccounts:shop:AccountSid", ShopAccountSid),
        new("Api:TwilioAccounts:shop:AuthToken", ShopAuthToken),
        new("Api:TwilioAccounts:shop:Service", "shop"),
    ];
}

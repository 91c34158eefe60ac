namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// The Twilio-shaped credentials the test server declares in configuration (the shapes Twilio's libraries expect:
/// <c>AC</c> or <c>SK</c> and 32 lower-case hex digits).
/// </summary>
public static class Credentials
{
    /// <summary>An admin account: manages services, and acts in any of them.</summary>
    public const string AdminAccountSid = "AC0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
    public const string AdminAuthToken = "admin-auth-token-0123456789abcdef";

    /// <summary>The account of the configured service <c>shop</c>.</summary>
    public const string ShopAccountSid = "AC5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";
    public const string ShopAuthToken = "shop-auth-token-0123456789abcdef";

    /// <summary>An API key of the service <c>shop</c>, used with the shop's account sid.</summary>
    public const string ShopApiKeySid = "SK5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c";
    public const string ShopApiKeySecret = "shop-api-key-secret-0123456789abcdef";

    /// <summary>The configuration that declares them (keys as docs/twilio-verify.md names them).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Twilio:Accounts:admin:AccountSid", AdminAccountSid),
        new("Twilio:Accounts:admin:AuthToken", AdminAuthToken),
        new("Twilio:Accounts:shop:AccountSid", ShopAccountSid),
        new("Twilio:Accounts:shop:AuthToken", ShopAuthToken),
        new("Twilio:Accounts:shop:Service", "shop"),
        new("Twilio:ApiKeys:shop-key:Sid", ShopApiKeySid),
        new("Twilio:ApiKeys:shop-key:Secret", ShopApiKeySecret),
        new("Twilio:ApiKeys:shop-key:Account", "shop"),
    ];
}

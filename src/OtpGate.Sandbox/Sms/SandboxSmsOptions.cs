namespace OtpGate.Sandbox.Sms;

/// <summary>
/// The Twilio Programmable Messaging stand-in's account (bound from <c>Sandbox:Sms</c>). Its timings are the 1MSG
/// stand-in's: <c>sent</c> at <see cref="SandboxOptions.SentAfter"/>, <c>delivered</c> at
/// <see cref="SandboxOptions.DeliveredAfter"/> (<see cref="SandboxOptions.SlowDeliveryAfter"/> on the slow number).
/// </summary>
public sealed class SandboxSmsOptions
{
    /// <summary>A made-up account sid in Twilio's form (<c>AC</c> and 32 hex digits).</summary>
    public const string DefaultAccountSid = "AC00000000000000000000000000000001";

    public const string DefaultAuthToken = "sandbox-sms-token";

    /// <summary>The stand-in's own number: Twilio's magic test "From" number, which its test credentials accept.</summary>
    public const string DefaultFrom = "+15005550006";

    /// <summary>The stand-in's own Messaging Service, in Twilio's form (<c>MG</c> and 32 hex digits).</summary>
    public const string DefaultMessagingServiceSid = "MG00000000000000000000000000000001";

    /// <summary>The account sid: the path's <c>{AccountSid}</c> and the Basic auth user name.</summary>
    public string AccountSid { get; set; } = DefaultAccountSid;

    /// <summary>The auth token: the Basic auth password, and the key status callbacks are signed with.</summary>
    public string AuthToken { get; set; } = DefaultAuthToken;

    /// <summary>The account's one number: a send <c>From</c> another is refused with 21659, as Twilio refuses a number not on the account.</summary>
    public string From { get; set; } = DefaultFrom;

    /// <summary>The account's one Messaging Service: a send through another is refused with 21701.</summary>
    public string MessagingServiceSid { get; set; } = DefaultMessagingServiceSid;
}

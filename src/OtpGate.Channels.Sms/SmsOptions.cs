using Microsoft.Extensions.Configuration;

namespace OtpGate.Channels.Sms;

/// <summary>
/// The SMS channel (bound from the <c>Sms</c> section and validated at start-up): which provider, its account, and the
/// public base address the provider calls back with delivery statuses. Secrets never appear in <see cref="ToString"/>.
/// </summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    /// <summary>The only provider so far.</summary>
    public const string TwilioProvider = "twilio";

    /// <summary>No SMS channel, even where one would be set up by default (the embedded default's sandbox stand-in).</summary>
    public const string NoProvider = "none";

    /// <summary><c>twilio</c>; <c>none</c> for no SMS at all; empty means Twilio when its section is filled in.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// The public base URL the provider reaches this server at, e.g. <c>https://otp.example.com</c>; the receiver is
    /// <c>{base}/webhooks/sms/twilio</c>. Empty: <c>OneMsg:WebhookBaseUrl</c>, else the address the server listens on.
    /// </summary>
    public string? StatusCallbackBaseUrl { get; set; }

    public TwilioSmsOptions Twilio { get; set; } = new();

    /// <summary>True when the configuration asks for an SMS channel: a provider named, or a Twilio account sid given.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !IsTurnedOff(configuration)
            && (!string.IsNullOrWhiteSpace(configuration[$"{SectionName}:Provider"])
                || !string.IsNullOrWhiteSpace(configuration[$"{SectionName}:Twilio:AccountSid"]));
    }

    /// <summary>True when <c>Sms:Provider</c> is <c>none</c>: no SMS channel at all, the sandbox's stand-in included.</summary>
    public static bool IsTurnedOff(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Equals(configuration[$"{SectionName}:Provider"]?.Trim(), NoProvider, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => $"SmsOptions {{ Provider = {Provider}, StatusCallbackBaseUrl = {StatusCallbackBaseUrl}, Twilio = {Twilio} }}";
}

/// <summary>A Twilio account for Programmable Messaging (<c>Sms:Twilio</c>).</summary>
public sealed class TwilioSmsOptions
{
    public static readonly Uri DefaultBaseUrl = new("https://api.twilio.com");

    /// <summary>The account sid, <c>AC</c> and 32 hex digits: the path's <c>{AccountSid}</c>.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>
    /// The account's auth token: the Basic auth password (unless an API key is given), and always the key Twilio signs
    /// its status callbacks with, so the receiver needs it.
    /// </summary>
    public string AuthToken { get; set; } = "";

    /// <summary>An API key (<c>SK…</c>) to authenticate the calls with instead of the auth token; optional.</summary>
    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>The sender: a Twilio number in E.164 (<c>+15017122661</c>) or an alphanumeric sender id. Or <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG…</c>) that picks the sender; used when <see cref="From"/> is empty.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>The REST API's base: <c>https://api.twilio.com</c>, or a stand-in (the sandbox's).</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>How long one HTTP attempt may take; a send that times out is an unknown outcome, never sent again blindly.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a request that surely never left, or got a 429, is tried again inside the client.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry delay; later ones double, with jitter, or follow <c>Retry-After</c>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before one retry; a 429 asking for longer goes back to the outbox, which reschedules the send.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Basic auth user name and password: the API key when one is given, else the account sid and auth token.</summary>
    internal (string User, string Password) Credentials => string.IsNullOrWhiteSpace(ApiKeySid)
        ? (AccountSid.Trim(), AuthToken.Trim())
        : (ApiKeySid.Trim(), (ApiKeySecret ?? "").Trim());

    public override string ToString() =>
        $"TwilioSmsOptions {{ AccountSid = {AccountSid}, AuthToken = {(string.IsNullOrEmpty(AuthToken) ? "(none)" : "***")}, ApiKeySid = {ApiKeySid}, From = {From}, MessagingServiceSid = {MessagingServiceSid}, BaseUrl = {BaseUrl} }}";
}

namespace OtpGate.OneMsg;

/// <summary>
/// Where the 1MSG API is and how to authenticate to it. Bound from the <c>OneMsg</c> configuration
/// section and validated at start-up. The token never appears in <see cref="ToString"/>.
/// </summary>
public sealed class OneMsgOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "OneMsg";

    /// <summary>The API base URL: <c>https://api.1msg.io</c> for live channels, <c>https://sandbox.1msg.io</c> for 1MSG test channels, or OtpGate's sandbox.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.1msg.io");

    /// <summary>The channel (instance) id from the 1MSG dashboard, for example <c>359900</c> or <c>VID182868781</c>.</summary>
    public string ChannelId { get; set; } = "";

    /// <summary>The channel API token (JWT). Sent only in the <c>Authorization: Bearer</c> header.</summary>
    public string Token { get; set; } = "";

    /// <summary>How long one HTTP attempt may take before it is abandoned (a send that times out is ambiguous).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a request that surely never left (connection refused, DNS) or got 429 is retried.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially with jitter, or follow <c>Retry-After</c>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest the client waits before one retry. A 429 whose <c>Retry-After</c> asks for longer is not
    /// retried inside the client: it comes back as <see cref="Sending.SendFailureKind.RateLimited"/> with the
    /// delay, so the caller can reschedule instead of holding a request open.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override string ToString() =>
        $"OneMsgOptions {{ BaseUrl = {BaseUrl}, ChannelId = {ChannelId}, Token = {(string.IsNullOrEmpty(Token) ? "(none)" : "***")} }}";
}

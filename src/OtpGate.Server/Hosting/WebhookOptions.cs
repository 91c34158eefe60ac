namespace OtpGate.Server.Hosting;

/// <summary>The keys of the <c>OneMsg</c> section that say how 1MSG reaches this server's webhook receiver.</summary>
public sealed class WebhookOptions
{
    /// <summary>The public base URL 1MSG calls, e.g. <c>https://otp.example.com</c>; with the sandbox, the address the server listens on.</summary>
    public string? WebhookBaseUrl { get; set; }

    /// <summary>Whether to add the webhook URL to the channel at start and turn on delivery statuses. Default: on with the sandbox, off otherwise.</summary>
    public bool? RegisterWebhook { get; set; }

    /// <summary>The secret path segment of the webhook URL; generated into the data directory when empty.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The largest callback body the receiver takes, in megabytes (1,000,000 bytes): 4 by default, about 18,000
    /// production-shaped acks. 1MSG documents no batch size; a larger body gets 413 with the cap in its detail.
    /// </summary>
    public int WebhookMaxBodyMegabytes { get; set; } = 4;

    /// <summary>The cap in bytes.</summary>
    public long WebhookMaxBodyBytes => WebhookMaxBodyMegabytes * 1_000_000L;

    public override string ToString() =>
        $"WebhookOptions {{ WebhookBaseUrl = {WebhookBaseUrl}, RegisterWebhook = {RegisterWebhook}, WebhookSecret = {(string.IsNullOrEmpty(WebhookSecret) ? "(generated)" : "***")}, WebhookMaxBodyMegabytes = {WebhookMaxBodyMegabytes} }}";
}

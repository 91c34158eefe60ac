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

    public override string ToString() =>
        $"WebhookOptions {{ WebhookBaseUrl = {WebhookBaseUrl}, RegisterWebhook = {RegisterWebhook}, WebhookSecret = {(string.IsNullOrEmpty(WebhookSecret) ? "(generated)" : "***")} }}";
}

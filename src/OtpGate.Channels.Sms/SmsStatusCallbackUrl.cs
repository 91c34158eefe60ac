using Microsoft.Extensions.Options;

namespace OtpGate.Channels.Sms;

/// <summary>
/// The URL the channel gives Twilio as <c>StatusCallback</c>, and the one the receiver checks signatures against (Twilio
/// signs the URL it was given): <c>Sms:StatusCallbackBaseUrl</c> + <see cref="Path"/>, else the host's fallback (the
/// server: <c>OneMsg:WebhookBaseUrl</c>, else the address it listens on). Null when no base is known: the channel then
/// sends without a callback and learns statuses by polling.
/// </summary>
public sealed class SmsStatusCallbackUrl(IOptions<SmsOptions> options, Func<Uri?> fallbackBase)
{
    public const string Path = "/webhooks/sms/twilio";

    public string? Value
    {
        get
        {
            var configured = options.Value.StatusCallbackBaseUrl?.Trim();
            var root = !string.IsNullOrEmpty(configured) ? configured : fallbackBase()?.GetLeftPart(UriPartial.Path);
            return string.IsNullOrEmpty(root) ? null : root.TrimEnd('/') + Path;
        }
    }
}

namespace OtpGate.OneMsg.Channel;

/// <summary>The channel settings 1MSG reports (<c>GET settings</c>). A null flag means 1MSG did not say.</summary>
/// <param name="WebhookUrls">The webhook URLs (1MSG gives a string, a comma-separated string or an array).</param>
/// <param name="AckNotificationsOn">Whether delivery statuses are pushed to the webhooks; must be true for OtpGate's delivery tracking.</param>
/// <param name="RawHooks">Whether webhooks receive Meta's raw payloads instead of 1MSG's normalised ones.</param>
/// <param name="GuaranteedHooks">Whether 1MSG retries webhook deliveries that fail.</param>
public sealed record ChannelSettings(IReadOnlyList<string> WebhookUrls, bool? AckNotificationsOn, bool? RawHooks, bool? GuaranteedHooks);

/// <summary>
/// A change to the channel settings (<c>POST settings</c>). Only the properties that are set are sent; the
/// others keep their current value at 1MSG.
/// </summary>
public sealed record ChannelSettingsUpdate
{
    /// <summary>The complete new webhook list (at most 5); an empty list clears every webhook. Prefer <see cref="OneMsgClient.SetWebhookUrlsAsync"/>.</summary>
    public IReadOnlyList<string>? WebhookUrls { get; init; }

    /// <summary>Turns delivery-status callbacks on or off.</summary>
    public bool? AckNotificationsOn { get; init; }

    /// <summary>Switches between Meta's raw payloads (true) and 1MSG's normalised ones (false).</summary>
    public bool? RawHooks { get; init; }

    /// <summary>Turns retried webhook delivery on or off.</summary>
    public bool? GuaranteedHooks { get; init; }

    /// <summary>True when no property is set (nothing to send).</summary>
    public bool IsEmpty => WebhookUrls is null && AckNotificationsOn is null && RawHooks is null && GuaranteedHooks is null;
}

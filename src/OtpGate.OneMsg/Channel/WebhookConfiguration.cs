namespace OtpGate.OneMsg.Channel;

/// <summary>The channel's webhook list and, when 1MSG reports it, each URL's delivery state (<c>GET webhook</c>).</summary>
/// <param name="Urls">The registered URLs (at most 5), in 1MSG's order. Keep entries you do not own, such as 1MSG's own inbox hook.</param>
/// <param name="Statuses">Per-URL states from <c>webhookStatuses</c>; empty when 1MSG did not send any.</param>
public sealed record WebhookConfiguration(IReadOnlyList<string> Urls, IReadOnlyList<WebhookUrlStatus> Statuses);

/// <summary>
/// One URL's state from <c>webhookStatuses</c>. 1MSG auto-disables a failing destination; setting the
/// complete list again (<see cref="OneMsgClient.SetWebhookUrlsAsync"/>) re-enables it.
/// </summary>
/// <param name="Url">The webhook URL.</param>
/// <param name="Status">The state word as 1MSG sends it (its vocabulary is not documented).</param>
public sealed record WebhookUrlStatus(string Url, string Status)
{
    /// <summary>The last delivery error 1MSG recorded for this URL, when it reports one.</summary>
    public string? LastError { get; init; }

    /// <summary>True when the state word says the URL is disabled, blocked or failing.</summary>
    public bool IsDisabled =>
        Status.Contains("disabl", StringComparison.OrdinalIgnoreCase)
        || Status.Contains("block", StringComparison.OrdinalIgnoreCase)
        || Status.Contains("fail", StringComparison.OrdinalIgnoreCase)
        || Status.Contains("inactive", StringComparison.OrdinalIgnoreCase);
}

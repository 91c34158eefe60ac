using System.Net;
using System.Text.Json;
using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Json;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.OneMsg;

public sealed partial class OneMsgClient
{
    /// <summary>The most webhook URLs 1MSG keeps for one channel.</summary>
    public const int MaxWebhookUrls = 5;

    /// <summary>
    /// Polls the delivery statuses 1MSG holds for one message (<c>GET hookInfo?messageId=</c>), for when
    /// webhooks are late or missing.
    /// </summary>
    /// <param name="messageId">The <c>wamid.</c> id <c>sendTemplate</c> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One event per status 1MSG recorded, in its order; empty when none.</returns>
    /// <exception cref="ArgumentException">The message id is empty.</exception>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<IReadOnlyList<StatusEvent>> GetHookInfoAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        using var document = await CallAsync(HttpMethod.Get, "hookInfo", "messageId=" + Uri.EscapeDataString(messageId.Trim()), null,
            requireJson: true, cancellationToken);
        return document is null
            ? []
            : [.. JsonRead.Array(document.RootElement, "hooks").Select(StatusReaders.Read).OfType<StatusEvent>()];
    }

    /// <summary>Reads the channel's webhook URLs (<c>GET webhook</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URLs, whether 1MSG gave a string, a comma-separated string or an array.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<IReadOnlyList<string>> GetWebhookUrlsAsync(CancellationToken cancellationToken = default) =>
        (await GetWebhookAsync(cancellationToken)).Urls;

    /// <summary>Reads the channel's webhook URLs and, when 1MSG reports them, their per-URL states (<c>webhookStatuses</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The webhook configuration.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<WebhookConfiguration> GetWebhookAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, "webhook", null, null, requireJson: true, cancellationToken);
        var root = document!.RootElement;
        return new WebhookConfiguration(JsonRead.UrlList(JsonRead.Property(root, "webhookUrl")), ReadWebhookStatuses(JsonRead.Property(root, "webhookStatuses")));
    }

    /// <summary>
    /// Replaces the channel's webhook list with <paramref name="urls"/> (<c>POST webhook</c>). 1MSG does not
    /// append: URLs left out are dropped, so use <see cref="AddWebhookUrlAsync"/> to keep other URLs.
    /// Setting the list again also re-enables URLs 1MSG auto-disabled.
    /// </summary>
    /// <param name="urls">At most 5 absolute http(s) URLs; an empty list removes every webhook.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">More than 5 URLs, or one that is not an absolute http(s) URL.</exception>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task SetWebhookUrlsAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken = default)
    {
        var list = ValidateWebhookUrls(urls, nameof(urls));
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookWire(list), OneMsgJsonContext.Default.WebhookWire);
        using var document = await CallAsync(HttpMethod.Post, "webhook", null, body, requireJson: false, cancellationToken);
        ThrowIfRefused(document, "POST webhook", "set");
        OneMsgLog.WebhookUrlsSet(_logger, list.Count);
    }

    /// <summary>
    /// Adds <paramref name="url"/> to the channel's webhooks, keeping every other URL (such as 1MSG's own inbox
    /// hook). The list is written back even when the URL is already there, which re-enables it if 1MSG had
    /// auto-disabled it.
    /// </summary>
    /// <param name="url">An absolute http(s) URL.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The list as set.</returns>
    /// <exception cref="ArgumentException">The URL is not an absolute http(s) URL.</exception>
    /// <exception cref="InvalidOperationException">The channel already has 5 other webhooks.</exception>
    /// <exception cref="OneMsgException">1MSG refused a call or could not be reached.</exception>
    public async Task<IReadOnlyList<string>> AddWebhookUrlAsync(string url, CancellationToken cancellationToken = default)
    {
        var ours = ValidateWebhookUrls([url], nameof(url))[0];
        var current = await GetWebhookUrlsAsync(cancellationToken);
        var list = current.Contains(ours, StringComparer.Ordinal) ? current : [.. current, ours];
        if (list.Count > MaxWebhookUrls)
        {
            throw new InvalidOperationException(
                $"The channel already has {current.Count} webhook URLs, the most 1MSG allows is {MaxWebhookUrls}; remove one before adding {ours}.");
        }

        await SetWebhookUrlsAsync(list, cancellationToken);
        return list;
    }

    /// <summary>Removes <paramref name="url"/> from the channel's webhooks, keeping the others. Does nothing when it is not there.</summary>
    /// <param name="url">The URL to remove, exactly as registered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The list after the change.</returns>
    /// <exception cref="OneMsgException">1MSG refused a call or could not be reached.</exception>
    public async Task<IReadOnlyList<string>> RemoveWebhookUrlAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var current = await GetWebhookUrlsAsync(cancellationToken);
        var trimmed = url.Trim();
        if (!current.Contains(trimmed, StringComparer.Ordinal))
        {
            return current;
        }

        IReadOnlyList<string> list = [.. current.Where(u => !string.Equals(u, trimmed, StringComparison.Ordinal))];
        await SetWebhookUrlsAsync(list, cancellationToken);
        return list;
    }

    /// <summary>Reads the channel settings (<c>GET settings</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The settings; a flag 1MSG did not report is null.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<ChannelSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, "settings", null, null, requireJson: true, cancellationToken);
        var root = document!.RootElement;
        return new ChannelSettings(
            JsonRead.UrlList(JsonRead.Property(root, "webhookUrl")),
            JsonRead.Boolean(root, "ackNotificationsOn"),
            JsonRead.Boolean(root, "rawHooks"),
            JsonRead.Boolean(root, "guaranteedHooks"));
    }

    /// <summary>Changes the channel settings (<c>POST settings</c>), sending only the fields that are set.</summary>
    /// <param name="update">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">Nothing is set, or the webhook list is invalid.</exception>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task UpdateSettingsAsync(ChannelSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.IsEmpty)
        {
            throw new ArgumentException("The settings update sets nothing; set at least one property.", nameof(update));
        }

        var urls = update.WebhookUrls is null ? null : ValidateWebhookUrls(update.WebhookUrls, nameof(update));
        var wire = new SettingsUpdateWire(urls, update.AckNotificationsOn, update.RawHooks, update.GuaranteedHooks);
        var body = JsonSerializer.SerializeToUtf8Bytes(wire, OneMsgJsonContext.Default.SettingsUpdateWire);
        using var document = await CallAsync(HttpMethod.Post, "settings", null, body, requireJson: false, cancellationToken);
        ThrowIfRefused(document, "POST settings", "update");

        var fields = new[] { (urls is not null, "webhookUrl"), (update.AckNotificationsOn is not null, "ackNotificationsOn"),
            (update.RawHooks is not null, "rawHooks"), (update.GuaranteedHooks is not null, "guaranteedHooks") };
        OneMsgLog.SettingsUpdated(_logger, string.Join(", ", fields.Where(f => f.Item1).Select(f => f.Item2)));
    }

    /// <summary>Reads the channel's connection state (<c>GET status</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state; <see cref="ChannelStatus.IsOk"/> says whether the channel can send.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<ChannelStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, "status", null, null, requireJson: true, cancellationToken);
        var root = document!.RootElement;
        var status = JsonRead.String(root, "status")?.Trim().ToLowerInvariant() ?? "unknown";
        return new ChannelStatus(status, JsonRead.String(root, "accountStatus")) { MmLiteAvailable = JsonRead.Boolean(root, "mm_lite_available") };
    }

    private static List<string> ValidateWebhookUrls(IReadOnlyList<string> urls, string paramName)
    {
        ArgumentNullException.ThrowIfNull(urls, paramName);
        var list = urls.Select(u => u?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (list.Count > MaxWebhookUrls)
        {
            throw new ArgumentException($"1MSG keeps at most {MaxWebhookUrls} webhook URLs per channel; {list.Count} were given.", paramName);
        }

        foreach (var url in list)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"Webhook URL \"{url}\" is not an absolute http or https URL.", paramName);
            }
        }

        return list;
    }

    // 1MSG's legacy answers say {"set": false, "message": …} with HTTP 200 when it did not apply a change.
    private void ThrowIfRefused(JsonDocument? document, string operation, string flag)
    {
        if (document is not null && JsonRead.Boolean(document.RootElement, flag) == false)
        {
            var said = ResponseText.FromObject(document.RootElement) is { } text ? ": " + Redactor.Redact(text, _token) : "";
            throw Logged(new OneMsgException($"1MSG did not apply {operation}{said}.", operation, HttpStatusCode.OK,
                Redactor.RedactAndTruncate(document.RootElement.GetRawText(), OneMsgException.MaxResponseBodyLength, _token), isTransient: false));
        }
    }

    private static List<WebhookUrlStatus> ReadWebhookStatuses(JsonElement? statuses)
    {
        // The shape is undocumented; accept {url: "state"}, {url: {status}} and [{url, status | enabled, lastError}].
        var result = new List<WebhookUrlStatus>();
        switch (statuses)
        {
            case { ValueKind: JsonValueKind.Object } map:
                foreach (var entry in map.EnumerateObject())
                {
                    var state = JsonRead.AsString(entry.Value) ?? JsonRead.FirstString(entry.Value, "status", "state");
                    if (state is not null)
                    {
                        result.Add(new WebhookUrlStatus(entry.Name, state));
                    }
                }

                break;
            case { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                {
                    var state = JsonRead.FirstString(item, "status", "state")
                        ?? JsonRead.Boolean(item, "enabled") switch { true => "enabled", false => "disabled", null => null };
                    if (JsonRead.FirstString(item, "url", "webhookUrl") is { } url && state is not null)
                    {
                        result.Add(new WebhookUrlStatus(url, state) { LastError = JsonRead.FirstString(item, "lastError", "error") });
                    }
                }

                break;
        }

        return result;
    }
}

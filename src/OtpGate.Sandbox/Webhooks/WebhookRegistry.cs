using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>The state of one registered webhook URL, as <c>GET webhook</c> shows it in <c>webhookStatuses</c>.</summary>
internal sealed record WebhookUrlStatus(string Url, bool Enabled, int Failures, string? LastError);

/// <summary>The channel's webhook settings at one instant.</summary>
internal sealed record WebhookSettings(
    IReadOnlyList<WebhookUrlStatus> Urls,
    bool AckNotificationsOn,
    bool RawHooks,
    bool GuaranteedHooks)
{
    public IReadOnlyList<string> UrlList => [.. Urls.Select(u => u.Url)];

    public IEnumerable<string> EnabledUrls => Urls.Where(u => u.Enabled).Select(u => u.Url);
}

/// <summary>
/// Webhook URLs (at most 5, replaced as a whole), the notification switches, and each URL's health:
/// a URL that fails <see cref="SandboxOptions.WebhookDisableAfterFailures"/> attempts in a row is
/// disabled ("sticky") until the list is set again.
/// </summary>
internal sealed class WebhookRegistry
{
    public const int MaxUrls = 5;

    private readonly Lock _lock = new();
    private readonly int _disableAfter;
    private List<WebhookUrlStatus> _urls;
    private bool _ackNotificationsOn;
    private bool _rawHooks;
    private bool _guaranteedHooks;

    public WebhookRegistry(IOptions<SandboxOptions> options)
    {
        var value = options.Value;
        _disableAfter = value.WebhookDisableAfterFailures;
        _urls = Fresh(value.WebhookUrls);
        _ackNotificationsOn = value.AckNotificationsOn;
        _rawHooks = value.RawHooks;
        _guaranteedHooks = value.GuaranteedHooks;
    }

    public WebhookSettings Current
    {
        get
        {
            lock (_lock)
            {
                return new WebhookSettings([.. _urls], _ackNotificationsOn, _rawHooks, _guaranteedHooks);
            }
        }
    }

    /// <summary>Replaces the list; every URL starts enabled again (this is how a disabled URL is re-enabled).</summary>
    public void SetUrls(IReadOnlyList<string> urls)
    {
        lock (_lock)
        {
            _urls = Fresh(urls);
        }
    }

    public void Update(bool? ackNotificationsOn, bool? rawHooks, bool? guaranteedHooks)
    {
        lock (_lock)
        {
            _ackNotificationsOn = ackNotificationsOn ?? _ackNotificationsOn;
            _rawHooks = rawHooks ?? _rawHooks;
            _guaranteedHooks = guaranteedHooks ?? _guaranteedHooks;
        }
    }

    public bool IsEnabled(string url)
    {
        lock (_lock)
        {
            return _urls.Exists(u => u.Url == url && u.Enabled);
        }
    }

    public void RecordSuccess(string url) => Change(url, u => u with { Failures = 0 });

    /// <summary>Counts a failed attempt; returns whether the URL is still enabled.</summary>
    public bool RecordFailure(string url, string error) =>
        Change(url, u => u with { Failures = u.Failures + 1, LastError = error, Enabled = u.Enabled && u.Failures + 1 < _disableAfter })?.Enabled ?? false;

    private WebhookUrlStatus? Change(string url, Func<WebhookUrlStatus, WebhookUrlStatus> change)
    {
        lock (_lock)
        {
            var index = _urls.FindIndex(u => u.Url == url);
            if (index < 0)
            {
                return null;
            }

            _urls[index] = change(_urls[index]);
            return _urls[index];
        }
    }

    private static List<WebhookUrlStatus> Fresh(IEnumerable<string> urls) =>
        [.. urls.Distinct(StringComparer.Ordinal).Select(u => new WebhookUrlStatus(u, Enabled: true, Failures: 0, LastError: null))];
}

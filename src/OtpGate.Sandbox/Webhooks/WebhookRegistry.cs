using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>The state of one registered webhook URL, as <c>GET webhook</c> shows it in <c>webhookStatuses</c>.</summary>
internal sealed record WebhookUrlStatus(string Url, bool Enabled, int Failures, string? LastError);

/// <summary>What a failed attempt did to its URL.</summary>
internal enum WebhookFailureOutcome
{
    /// <summary>The URL stays enabled; the attempt may be retried.</summary>
    StillEnabled,

    /// <summary>This failure reached the threshold and disabled the URL.</summary>
    Disabled,

    /// <summary>The URL was already disabled (by a request that ended first) or is no longer registered; nothing was counted.</summary>
    AlreadyDisabled,
}

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

    /// <summary>Resets the failure count of an enabled URL (a request that ends after the URL was disabled changes nothing).</summary>
    public void RecordSuccess(string url) => Change(url, u => u.Enabled ? u with { Failures = 0 } : u);

    /// <summary>
    /// Counts a failed attempt. With several requests in flight, some may fail after the one that
    /// disabled the URL: those are not counted, so the URL shows the failures that disabled it.
    /// </summary>
    public WebhookFailureOutcome RecordFailure(string url, string error)
    {
        var outcome = WebhookFailureOutcome.AlreadyDisabled;
        Change(url, u =>
        {
            if (!u.Enabled)
            {
                return u;
            }

            var failed = u with { Failures = u.Failures + 1, LastError = error, Enabled = u.Failures + 1 < _disableAfter };
            outcome = failed.Enabled ? WebhookFailureOutcome.StillEnabled : WebhookFailureOutcome.Disabled;
            return failed;
        });
        return outcome;
    }

    private void Change(string url, Func<WebhookUrlStatus, WebhookUrlStatus> change)
    {
        lock (_lock)
        {
            var index = _urls.FindIndex(u => u.Url == url);
            if (index >= 0)
            {
                _urls[index] = change(_urls[index]);
            }
        }
    }

    private static List<WebhookUrlStatus> Fresh(IEnumerable<string> urls) =>
        [.. urls.Distinct(StringComparer.Ordinal).Select(u => new WebhookUrlStatus(u, Enabled: true, Failures: 0, LastError: null))];
}

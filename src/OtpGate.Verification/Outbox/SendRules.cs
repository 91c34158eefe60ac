using System.Collections.Concurrent;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Outbox;

/// <summary>
/// What sending a code takes from its verification's service: the message time-to-live cap, how much lifetime an
/// automatic resend after an unclear answer needs, and the templates the service names per locale.
/// </summary>
internal sealed class SendRules
{
    private readonly IReadOnlyDictionary<string, string> _templates;

    public SendRules(VerificationOptions options, IReadOnlyDictionary<string, string> templates, long version, string? serviceName = null)
    {
        ServiceName = serviceName;
        Sms = options.Sms;
        Limits = new LimitPolicy(options);
        // Meta takes 30 to 900 s for authentication templates; the cap follows the code's lifetime unless set lower.
        MessageTtlCap = options.MaxMessageTtl ?? TimeSpan.FromSeconds(Math.Min(900, options.CodeLifetime.TotalSeconds));
        SameCodeMinRemaining = options.SameCodeMinRemaining;
        _templates = templates;
        Version = version;
    }

    /// <summary>The service's version these rules were built from (0 for the default service before it is stored).</summary>
    public long Version { get; }

    public TimeSpan MessageTtlCap { get; }

    /// <summary>The name a text message gives its sender (the service's friendly name); null for the unnamed default service.</summary>
    public string? ServiceName { get; }

    /// <summary>The lifetime a code must still have for the one automatic resend after an unclear answer.</summary>
    public TimeSpan SameCodeMinRemaining { get; }

    /// <summary>The template the service names for the locale; null leaves the choice to the channel's configuration.</summary>
    public NamedTemplate? TemplateFor(string locale) => NamedTemplate.For(_templates, locale);

    /// <summary>The service's send limits, which an automatic fallback to SMS counts in.</summary>
    public LimitPolicy Limits { get; }

    /// <summary>The service's SMS settings: fallback, its deadline and cap, the texts.</summary>
    public SmsSettings Sms { get; }

    /// <summary>The code as text, for channels that send text: the service's text for the locale (or the default), and its WebOTP line.</summary>
    public string TextFor(string code, string locale, TimeSpan expiresIn) => CodeText.Render(code, ServiceName, expiresIn, Sms.Texts, locale, Sms.WebOtpDomain);

    /// <summary>The message time to live: the code's remaining lifetime, capped, and at least Meta's 30 s minimum.</summary>
    public int MessageTtlSeconds(long remainingMs)
    {
        var seconds = Math.Min(remainingMs / 1000, (long)MessageTtlCap.TotalSeconds);
        return (int)Math.Max(30, seconds);
    }

    /// <summary>The rules of a service's settings laid over the global options.</summary>
    public static SendRules Of(Service service, VerificationOptions global) =>
        new(service.Settings.Over(global), service.Settings.Templates, service.Version,
            // The default service is named "Default" unless configured otherwise: no name reads better than that one.
            service.Id == Service.DefaultId && service.FriendlyName == "Default" ? null : service.FriendlyName);
}

/// <summary>
/// <see cref="SendRules"/> per service, read through <see cref="ServiceCatalog"/> in the claim's own transaction (one
/// indexed read of the version per service in a batch) and rebuilt only when the version changed, so a change made on
/// any instance governs the next send everywhere.
/// </summary>
internal sealed class SendRulesCache(ServiceCatalog catalog)
{
    private readonly ConcurrentDictionary<string, SendRules> _byService = new(StringComparer.Ordinal);

    /// <summary>Before the configuration is written (an engine run without the seeder), and for a service deleted since: the options' own.</summary>
    private readonly Lazy<SendRules> _fromOptions = new(() => new SendRules(catalog.Global, new Dictionary<string, string>(), 0));

    public async Task<SendRules> ForAsync(WriteScope scope, string serviceId)
    {
        if (await catalog.FindAsync(scope, serviceId) is not { } service)
        {
            return _fromOptions.Value;
        }

        if (_byService.TryGetValue(serviceId, out var rules) && rules.Version == service.Version)
        {
            return rules;
        }

        return _byService[serviceId] = SendRules.Of(service, catalog.Global);
    }
}

namespace OtpGate.Server.Hosting;

/// <summary>The <c>Api</c> section: API keys by name, and the HTTP rate limits.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary><c>Api:Keys:&lt;name&gt;</c> = key. Empty: a development key is generated into the data directory.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>Api:ServiceKeys:&lt;name&gt;:Key</c> and <c>:Service</c>: a key whose verifications belong to that service and
    /// use its settings. A plain <c>Api:Keys:&lt;name&gt;</c> key is a key of the default service.
    /// </summary>
    public Dictionary<string, ServiceKeyOptions> ServiceKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>Api:AdminKeys:&lt;name&gt;</c> = key: keys that manage services (<c>/v1/services</c>) and start no verification.</summary>
    public Dictionary<string, string> AdminKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>Api:TwilioAccounts:&lt;name&gt;</c>: Twilio-shaped accounts (sid and auth token) for the <c>/v2</c> surface,
    /// declared here instead of issued through the admin API (docs/twilio-verify.md).
    /// </summary>
    public Dictionary<string, TwilioVerify.TwilioAccountOptions> TwilioAccounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether any key is configured; with none, a development key (of the default service) is generated.</summary>
    public bool HasKeys => Keys.Count + ServiceKeys.Count + AdminKeys.Count > 0;

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    public ApiEventStreamOptions EventStreams { get; set; } = new();

    public override string ToString() =>
        $"ApiOptions {{ Keys = [{string.Join(", ", Keys.Keys)}], ServiceKeys = [{string.Join(", ", ServiceKeys.Keys)}], AdminKeys = [{string.Join(", ", AdminKeys.Keys)}], TwilioAccounts = [{string.Join(", ", TwilioAccounts.Keys)}] }}";
}

/// <summary>A key of a service: the key itself and the service's name (<c>Services:&lt;name&gt;</c>, or one created through the API).</summary>
public sealed class ServiceKeyOptions
{
    public string Key { get; set; } = "";

    public string Service { get; set; } = "";

    // The key itself never appears in logs or errors.
    public override string ToString() => $"ServiceKeyOptions {{ Service = {Service} }}";
}

/// <summary>Requests per minute, per API key and per client address (unauthenticated API calls and sign-up form posts).</summary>
public sealed class ApiRateLimitOptions
{
    public int PerKeyPerMinute { get; set; } = 600;

    public int PerIpPerMinute { get; set; } = 60;
}

/// <summary>
/// Server-sent-event streams open at once: per sign-up session and per client address (<c>/signup/events</c>), per API
/// key (<c>/v1/verifications/{id}/events</c>). Past a cap the answer is 429 with <c>Retry-After</c>.
/// </summary>
public sealed class ApiEventStreamOptions
{
    public int PerSession { get; set; } = 4;

    public int PerAddress { get; set; } = 20;

    public int PerKey { get; set; } = 100;
}

namespace OtpGate.Server.Hosting;

/// <summary>The <c>Api</c> section: API keys by name, and the HTTP rate limits.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary><c>Api:Keys:&lt;name&gt;</c> = key. Empty: a development key is generated into the data directory.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    public ApiEventStreamOptions EventStreams { get; set; } = new();

    public override string ToString() => $"ApiOptions {{ Keys = [{string.Join(", ", Keys.Keys)}] }}";
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

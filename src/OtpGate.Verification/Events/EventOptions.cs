namespace OtpGate.Verification.Events;

/// <summary>
/// The <c>Events</c> section: endpoints declared in configuration, and how events are delivered (timeouts, concurrency
/// per endpoint, the retry schedule, when a failing endpoint is disabled).
/// </summary>
public sealed class EventOptions
{
    public const string SectionName = "Events";

    /// <summary>The default retry schedule: the waits after the 1st, 2nd, ... failed attempt (then the delivery fails for good).</summary>
    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary><c>Events:Endpoints:&lt;name&gt;</c>: endpoints written to the database at every start.</summary>
    public Dictionary<string, EventEndpointOptions> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long one delivery attempt may take, connecting included; past it the attempt failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed delivery is this instance's; after it (the instance died) another takes it over. At least 3 timeouts.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deliveries in flight at once to one endpoint, per instance: a slow endpoint holds only these.</summary>
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>The waits between attempts (each lengthened by up to a fifth at random); null for <see cref="DefaultRetrySchedule"/>.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>An endpoint with no success since a failure this long ago is disabled at its next failure (and the operator told).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the previous secret also signs after a rotation, so receivers can switch without losing an event.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long events, their deliveries and attempts are kept once nothing is left to deliver (for listing and replay).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the dispatcher looks for due deliveries when nothing woke it (retries, other instances' events).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultRetrySchedule;
}

/// <summary>One endpoint from configuration.</summary>
public sealed class EventEndpointOptions
{
    /// <summary>Where events are posted (http or https).</summary>
    public string? Url { get; set; }

    /// <summary>The signing secret, <c>whsec_</c> and base64 (24 to 64 bytes).</summary>
    public string? Secret { get; set; }

    /// <summary>Only this service's events; every service's when left out.</summary>
    public string? Service { get; set; }

    /// <summary>Only these event types (a comma list); every type when left out.</summary>
    public string? Types { get; set; }
}

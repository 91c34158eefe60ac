namespace OtpGate.Verification;

/// <summary>
/// The verification defaults (docs/architecture.md, "Guessing and limits"), bound from the <c>Verification</c> section.
/// Every value is checked at start-up by <see cref="VerificationOptionsValidator"/>.
/// </summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    /// <summary>Digits per code (4..10; WhatsApp allows at most 15 characters).</summary>
    public int CodeLength { get; set; } = 6;

    /// <summary>How long a code is valid (1..30 minutes).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest WhatsApp message TTL sent. Unset, it is the code lifetime capped at Meta's 900 s; the TTL of each
    /// message is this or the code's remaining lifetime, whichever is shorter, and at least 30 s.
    /// </summary>
    public TimeSpan? MaxMessageTtl { get; set; }

    /// <summary>Wrong attempts per verification before it ends as <c>max_attempts_reached</c>.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Failed checks per phone within <see cref="FailedChecksWindow"/>, from anyone, across resends and verifications
    /// (NIST: at most 100). Past it, only the first check of each fresh code is still made: at most this plus one per
    /// code sent are ever compared for a phone in the window, and its owner is never locked out.
    /// </summary>
    public int MaxFailedChecksPerPhone { get; set; } = 20;

    public TimeSpan FailedChecksWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Failed checks one starter (an API key with the client address, a sign-up session) may make for a phone before delays begin.</summary>
    public int FailedChecksBeforeDelay { get; set; } = 5;

    /// <summary>The wait after the first failed check past <see cref="FailedChecksBeforeDelay"/>; it doubles with each further failure.</summary>
    public TimeSpan FailedCheckDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between failed checks of one starter.</summary>
    public TimeSpan MaxFailedCheckDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Messages sent per verification (the first send included).</summary>
    public int MaxSendsPerVerification { get; set; } = 5;

    /// <summary>The wait after the first send before a resend; it doubles after each further send.</summary>
    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends per phone in 10 minutes.</summary>
    public int MaxSendsPerPhonePer10Minutes { get; set; } = 5;

    /// <summary>Sends per phone in 24 hours.</summary>
    public int MaxSendsPerPhonePerDay { get; set; } = 10;

    /// <summary>Starts per client IP in 10 minutes (only when the IP is known).</summary>
    public int MaxStartsPerIpPer10Minutes { get; set; } = 20;

    /// <summary>Messages all verifications together may send per UTC day; 0 means no budget.</summary>
    public int DailySendBudget { get; set; }

    /// <summary>A resend keeps the same code while at least this much of its lifetime remains; otherwise a new code with a new lifetime.</summary>
    public TimeSpan SameCodeMinRemaining { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Regions (ISO 3166-1 alpha-2) allowed; empty allows every region not denied.</summary>
    public List<string> AllowedCountries { get; set; } = [];

    /// <summary>Regions refused.</summary>
    public List<string> DeniedCountries { get; set; } = [];

    /// <summary>Phone numbers (any format) with a fixed code: nothing is sent and no limit is counted. For app-store reviewers and end-to-end tests.</summary>
    public Dictionary<string, string> TestNumbers { get; set; } = [];

    /// <summary>How long an <c>Idempotency-Key</c> returns the same verification.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Ended verifications are deleted after this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a delivery status for a message id no send has is kept, waiting for the send to be recorded (1 minute
    /// to <see cref="Retention"/>). A real one waits seconds; the rest are statuses of messages OtpGate did not send, or
    /// posts by someone holding the webhook secret, so they are kept for hours, not the retention.
    /// </summary>
    public TimeSpan UnknownReceiptRetention { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Most delivery statuses for unknown message ids kept at once (10 to 1,000,000); past it the oldest go first.</summary>
    public int MaxUnknownReceipts { get; set; } = 10_000;

    public DispatchOptions Dispatch { get; set; } = new();

    /// <summary>SMS fallback, the per-phone SMS cap and the SMS text (the default service's; a service may set its own).</summary>
    public Services.SmsSettings Sms { get; set; } = new();
}

/// <summary>How the outbox dispatcher and the delivery poller run.</summary>
public sealed class DispatchOptions
{
    /// <summary>Messages per second to the channel (Meta: 80 by default, up to 1,000).</summary>
    public int ChannelRatePerSecond { get; set; } = 80;

    /// <summary>
    /// Sends in flight at once. Unset, it follows the channel rate: enough to keep it busy when 1MSG takes 250 ms to
    /// answer (a quarter of the rate), at least 32: 32 at Meta's default 80/s, 250 at 1,000/s.
    /// </summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>What the dispatcher uses: <see cref="MaxConcurrency"/>, or the one that follows the channel rate.</summary>
    public int EffectiveMaxConcurrency => MaxConcurrency ?? Math.Clamp((ChannelRatePerSecond + 3) / 4, 32, 1024);

    /// <summary>
    /// How long a claimed job is reserved for the instance that claimed it. Extended every third of itself while the
    /// send is in flight, so a slow send is never taken over; a dead instance's jobs are taken over when it runs out.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The backstop poll when no new work wakes the dispatcher.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first retry delay after a transient failure; doubles with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A send with no status after this long is polled through <c>hookInfo</c>.</summary>
    public TimeSpan StatusPollAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often expired verifications are swept and old ones purged.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}

namespace OtpGate.Verification.Services;

/// <summary>
/// What a service decides for its verifications: the per-service part of <see cref="VerificationOptions"/> (the rest,
/// such as the dispatcher, retention and the phone-wide failed-check cap, stays global because it guards the channel
/// or the phone whichever service asks). Stored as JSON in <c>services.settings</c>; property names are the
/// configuration keys under <c>Services:&lt;name&gt;</c>.
/// </summary>
public sealed record ServiceSettings
{
    public int CodeLength { get; init; } = 6;
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(10);
    public int MaxAttempts { get; init; } = 5;
    public int MaxSendsPerVerification { get; init; } = 5;
    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxSendsPerPhonePer10Minutes { get; init; } = 5;
    public int MaxSendsPerPhonePerDay { get; init; } = 10;
    public int MaxStartsPerIpPer10Minutes { get; init; } = 20;
    public TimeSpan SameCodeMinRemaining { get; init; } = TimeSpan.FromMinutes(2);
    public List<string> AllowedCountries { get; init; } = [];
    public List<string> DeniedCountries { get; init; } = [];
    public Dictionary<string, string> TestNumbers { get; init; } = [];

    /// <summary>Whether a start may bring its own code (the Twilio-compatible surface's <c>CustomCode</c>); off by default, as at Twilio.</summary>
    public bool CustomCodeEnabled { get; init; }

    /// <summary>The template name per locale; empty uses the channel's configured templates.</summary>
    public Dictionary<string, string> Templates { get; init; } = [];

    /// <summary>SMS fallback, the per-phone SMS cap and the SMS text (<c>Sms:…</c>).</summary>
    public SmsSettings Sms { get; init; } = new();

    /// <summary>The service's own spend caps (<c>Services:&lt;name&gt;:Spend:DailyCap|MonthlyCap</c>); none by default.</summary>
    public Fraud.SpendCaps Spend { get; init; } = new();

    /// <summary>The settings of today's <c>Verification</c> section: the default service's.</summary>
    public static ServiceSettings From(VerificationOptions o) => new()
    {
        CodeLength = o.CodeLength, CodeLifetime = o.CodeLifetime, MaxAttempts = o.MaxAttempts,
        MaxSendsPerVerification = o.MaxSendsPerVerification, ResendCooldown = o.ResendCooldown,
        MaxSendsPerPhonePer10Minutes = o.MaxSendsPerPhonePer10Minutes, MaxSendsPerPhonePerDay = o.MaxSendsPerPhonePerDay,
        MaxStartsPerIpPer10Minutes = o.MaxStartsPerIpPer10Minutes, SameCodeMinRemaining = o.SameCodeMinRemaining,
        AllowedCountries = [.. o.AllowedCountries], DeniedCountries = [.. o.DeniedCountries],
        TestNumbers = new(o.TestNumbers), Sms = o.Sms.Copy(),
    };

    /// <summary>
    /// The global options with this service's values in place: what the engine's per-service rules read, and what
    /// <see cref="VerificationOptionsValidator"/> checks (so a service is held to the same bounds as the configuration).
    /// </summary>
    public VerificationOptions Over(VerificationOptions global) => new()
    {
        CodeLength = CodeLength, CodeLifetime = CodeLifetime, MaxAttempts = MaxAttempts,
        MaxSendsPerVerification = MaxSendsPerVerification, ResendCooldown = ResendCooldown,
        MaxSendsPerPhonePer10Minutes = MaxSendsPerPhonePer10Minutes, MaxSendsPerPhonePerDay = MaxSendsPerPhonePerDay,
        MaxStartsPerIpPer10Minutes = MaxStartsPerIpPer10Minutes, SameCodeMinRemaining = SameCodeMinRemaining,
        AllowedCountries = [.. AllowedCountries], DeniedCountries = [.. DeniedCountries], TestNumbers = new(TestNumbers),
        MaxMessageTtl = global.MaxMessageTtl is { } ttl && ttl <= CodeLifetime ? ttl : null,
        MaxFailedChecksPerPhone = Math.Max(global.MaxFailedChecksPerPhone, MaxAttempts),
        FailedChecksWindow = global.FailedChecksWindow, FailedChecksBeforeDelay = global.FailedChecksBeforeDelay,
        FailedCheckDelay = global.FailedCheckDelay, MaxFailedCheckDelay = global.MaxFailedCheckDelay,
        DailySendBudget = global.DailySendBudget, IdempotencyWindow = global.IdempotencyWindow, Retention = global.Retention,
        UnknownReceiptRetention = global.UnknownReceiptRetention, MaxUnknownReceipts = global.MaxUnknownReceipts,
        Dispatch = global.Dispatch, Sms = Sms.Copy(),
    };
}

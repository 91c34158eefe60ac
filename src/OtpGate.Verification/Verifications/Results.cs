namespace OtpGate.Verification.Verifications;

/// <summary>Why an operation was refused. The names are the API's stable problem codes.</summary>
public enum Refusal
{
    NotFound,
    InvalidRequest,
    InvalidPhone,
    CountryNotAllowed,
    RateLimited,
    Cooldown,
    WrongCode,
    Expired,
    MaxAttemptsReached,
    Canceled,
    AlreadyApproved,
    Failed,
    IdempotencyKeyReused,

    /// <summary>The caller's service does not exist (deleted, or never created): its key can start nothing until it is fixed.</summary>
    ServiceNotFound,

    /// <summary>The channel asked for is not configured here, or the service does not send codes through it.</summary>
    ChannelUnavailable,
    /// <summary>A spend cap (the service's or the overall, daily or monthly) would be passed by this message's price.</summary>
    SpendCapReached,
    /// <summary>The fraud guard refused the start (a blocked number or prefix, or a pumping pattern); said the same way whatever the rule.</summary>
    FraudSuspected,
}

/// <summary>A refusal with what a client needs to act on it.</summary>
/// <param name="Reason">The stable reason.</param>
/// <param name="Message">One sentence a person can read.</param>
/// <param name="Limit">For <see cref="Refusal.RateLimited"/>: which limit (e.g. <c>phone_sends_10m</c>).</param>
/// <param name="RetryAfter">When trying again can succeed.</param>
/// <param name="AttemptsLeft">For <see cref="Refusal.WrongCode"/>: attempts left.</param>
/// <param name="Verification">The verification, when one exists and may be shown.</param>
public sealed record Refused(
    Refusal Reason,
    string Message,
    string? Limit = null,
    TimeSpan? RetryAfter = null,
    int? AttemptsLeft = null,
    VerificationSnapshot? Verification = null);

/// <summary>The outcome of <c>StartAsync</c>: a verification (new, or the owner's pending one for that phone), or a refusal.</summary>
public sealed record StartResult(VerificationSnapshot? Verification, bool Created, Refused? Refusal)
{
    public static StartResult Started(VerificationSnapshot verification, bool created) => new(verification, created, null);

    public static StartResult Refuse(Refused refusal) => new(null, false, refusal);
}

/// <summary>The outcome of <c>CheckAsync</c>, <c>ResendAsync</c> and <c>CancelAsync</c>.</summary>
public sealed record OperationResult(VerificationSnapshot? Verification, Refused? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static OperationResult Ok(VerificationSnapshot verification) => new(verification, null);

    public static OperationResult Refuse(Refused refusal) => new(refusal.Verification, refusal);
}

/// <summary>What a caller passes to start a verification.</summary>
/// <param name="Phone">The number as typed.</param>
/// <param name="Purpose">What the code is for (default <c>registration</c>); one live verification per phone and purpose.</param>
/// <param name="Locale">Chooses the template language (default <c>en</c>).</param>
/// <param name="ClientRef">The caller's own reference (e.g. a sign-up id).</param>
/// <param name="ClientIp">The end user's IP, for the per-IP start limit.</param>
/// <param name="IdempotencyKey">The same key from the same owner within 24 h returns the same verification and sends nothing more; with a different request it is refused.</param>
/// <param name="Metadata">Small string pairs kept with the verification.</param>
/// <param name="ParsedPhone">The number already parsed from <paramref name="Phone"/> by a caller that validated it (a number is parsed once per request).</param>
/// <param name="CustomCode">The code to send instead of a generated one (digits of the service's code length; the caller checked the service allows it).</param>
/// <param name="Channel">The channel for the code: <c>whatsapp</c> (the default) or <c>sms</c> (the verification is an SMS one from the start).</param>
/// <param name="RefuseUnsentRepeat">
/// When the owner's pending verification is returned, a resend that the send limits refuse, or that its resend cooldown
/// holds back, is answered with that refusal instead of the pending verification (Twilio's "max send attempts" and
/// "too many requests"), so a caller that expects every start to send is never told one was sent when none was.
/// </param>
public sealed record StartRequest(
    string? Phone,
    string? Purpose = null,
    string? Locale = null,
    string? ClientRef = null,
    string? ClientIp = null,
    string? IdempotencyKey = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    Phones.PhoneNumber? ParsedPhone = null,
    string? CustomCode = null,
    bool RefuseUnsentRepeat = false,
    string? Channel = null);

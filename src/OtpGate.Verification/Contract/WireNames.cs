using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Contract;

/// <summary>
/// The API contract's closed vocabularies and their wire names, in one place: what the API shows, the database stores
/// and clients match on. A name here never changes once released; a new member gets a new name.
/// </summary>
public static partial class WireNames
{
    public static string ToWireName(this VerificationStatus status) => status switch
    {
        VerificationStatus.Pending => "pending",
        VerificationStatus.Approved => "approved",
        VerificationStatus.Expired => "expired",
        VerificationStatus.MaxAttemptsReached => "max_attempts_reached",
        VerificationStatus.Canceled => "canceled",
        VerificationStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown verification status."),
    };

    /// <summary>The status a stored or sent name stands for.</summary>
    public static VerificationStatus ParseVerificationStatus(string name) => name switch
    {
        "pending" => VerificationStatus.Pending,
        "approved" => VerificationStatus.Approved,
        "expired" => VerificationStatus.Expired,
        "max_attempts_reached" => VerificationStatus.MaxAttemptsReached,
        "canceled" => VerificationStatus.Canceled,
        "failed" => VerificationStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown verification status."),
    };

    public static string ToWireName(this TimelineEventKind kind) => kind switch
    {
        TimelineEventKind.Created => "created",
        TimelineEventKind.SendQueued => "send_queued",
        TimelineEventKind.Accepted => "accepted",
        TimelineEventKind.ProviderQueued => "provider_queued",
        TimelineEventKind.SendRetry => "send_retry",
        TimelineEventKind.SendAmbiguous => "send_ambiguous",
        TimelineEventKind.SendFailed => "send_failed",
        TimelineEventKind.Delivery => "delivery",
        TimelineEventKind.CheckFailed => "check_failed",
        TimelineEventKind.Approved => "approved",
        TimelineEventKind.Expired => "expired",
        TimelineEventKind.MaxAttemptsReached => "max_attempts_reached",
        TimelineEventKind.Canceled => "canceled",
        TimelineEventKind.Failed => "failed",
        TimelineEventKind.Revived => "revived",
        TimelineEventKind.Fallback => "fallback",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown timeline event kind."),
    };

    /// <summary>The timeline entry that records an ending: named after the status it ended with.</summary>
    public static TimelineEventKind EndingEvent(this VerificationStatus status) => status switch
    {
        VerificationStatus.Approved => TimelineEventKind.Approved,
        VerificationStatus.Expired => TimelineEventKind.Expired,
        VerificationStatus.MaxAttemptsReached => TimelineEventKind.MaxAttemptsReached,
        VerificationStatus.Canceled => TimelineEventKind.Canceled,
        VerificationStatus.Failed => TimelineEventKind.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only an ending has an ending event."),
    };

    /// <summary>The stable problem code of a refusal (the API's <c>code</c>).</summary>
    public static string ToWireName(this Refusal refusal) => refusal switch
    {
        Refusal.NotFound => "not_found",
        Refusal.InvalidRequest => "invalid_request",
        Refusal.InvalidPhone => "invalid_phone",
        Refusal.CountryNotAllowed => "country_not_allowed",
        Refusal.RateLimited => "rate_limited",
        Refusal.Cooldown => "cooldown",
        Refusal.WrongCode => "wrong_code",
        Refusal.Expired => "expired",
        Refusal.MaxAttemptsReached => "max_attempts_reached",
        Refusal.Canceled => "canceled",
        Refusal.AlreadyApproved => "already_approved",
        Refusal.Failed => "failed",
        Refusal.IdempotencyKeyReused => "idempotency_key_reused",
        Refusal.ServiceNotFound => "service_not_found",
        Refusal.ChannelUnavailable => "channel_unavailable",
        Refusal.SpendCapReached => "spend_cap_reached",
        Refusal.FraudSuspected => "fraud_suspected",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Unknown refusal."),
    };
}

using OtpGate.Verification.Contract;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// What a client may see of a verification. It never carries the code. <see cref="Fallback"/> is its first fallback to
/// SMS (null when none); <see cref="SmsAvailable"/> says the code may be asked for by SMS now (an SMS channel is
/// configured, the service allows it, the verification is pending and has sent no SMS yet).
/// </summary>
public sealed record VerificationSnapshot(
    string Id,
    string Phone,
    string Region,
    string Purpose,
    string Locale,
    string Channel,
    string? ClientRef,
    IReadOnlyDictionary<string, string>? Metadata,
    bool IsTest,
    VerificationStatus Status,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    int AttemptsLeft,
    int SendsLeft,
    DateTimeOffset? ResendAvailableAt,
    IReadOnlyList<SendSnapshot> Sends,
    IReadOnlyList<TimelineEntry> Timeline,
    FallbackSnapshot? Fallback = null,
    bool SmsAvailable = false)
{
    /// <summary>The delivery status of the latest send (or <c>queued</c> before any).</summary>
    public string DeliveryStatus => Sends.Count == 0 ? Delivery.SendStatus.Queued.ToWireName() : Sends[^1].Status;
}

/// <summary>One message sent (or to be sent) for a verification.</summary>
public sealed record SendSnapshot(
    int Sequence,
    string Reason,
    string Channel,
    string Status,
    string? MessageId,
    string? FailureReason,
    int? ErrorCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? StatusAt);

/// <summary>One state change, with its time: the delivery timeline a UI shows.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string? Status, string? Detail, int? Sequence);

/// <summary>The verification's first fallback to another channel: to which, why (a <see cref="FallbackCause"/>'s wire name), and when.</summary>
public sealed record FallbackSnapshot(string Channel, string Cause, DateTimeOffset At);

using OtpGate.Verification.Contract;

namespace OtpGate.Verification.Verifications;

/// <summary>What a client may see of a verification. It never carries the code.</summary>
public sealed record VerificationSnapshot(
    string Id,
    string Phone,
    string Region,
    string Purpose,
    string Locale,
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
    IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>The delivery status of the latest send (or <c>queued</c> before any).</summary>
    public string DeliveryStatus => Sends.Count == 0 ? Delivery.SendStatus.Queued.ToWireName() : Sends[^1].Status;
}

/// <summary>One message sent (or to be sent) for a verification.</summary>
public sealed record SendSnapshot(
    int Sequence,
    string Reason,
    string Status,
    string? MessageId,
    string? FailureReason,
    int? ErrorCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? StatusAt);

/// <summary>One state change, with its time: the delivery timeline a UI shows.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string? Status, string? Detail, int? Sequence);

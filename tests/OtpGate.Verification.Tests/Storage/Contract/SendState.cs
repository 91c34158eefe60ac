namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>
/// A <c>sends</c> row with the queue and polling columns the stores' own readers do not return, read directly by the
/// outbox and delivery contracts to check what a statement changed.
/// </summary>
internal sealed class SendState
{
    public const string Sql = """
        SELECT id, verification_id, seq, reason, job_state, due_at, tries, locked_until, locked_by, delivery_status, message_id,
               provider_job_id, failure_reason, error_code, next_poll_at, polls, created_at, accepted_at, status_at, channel
        FROM sends WHERE id = @id
        """;

    public long Id { get; set; }
    public string VerificationId { get; set; } = "";
    public long Seq { get; set; }
    public string Reason { get; set; } = "";
    public string JobState { get; set; } = "";
    public long DueAt { get; set; }
    public long Tries { get; set; }
    public long? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public string DeliveryStatus { get; set; } = "";
    public string? MessageId { get; set; }
    public string? ProviderJobId { get; set; }
    public string? FailureReason { get; set; }
    public long? ErrorCode { get; set; }
    public long? NextPollAt { get; set; }
    public long Polls { get; set; }
    public long CreatedAt { get; set; }
    public long? AcceptedAt { get; set; }
    public long? StatusAt { get; set; }
    public string Channel { get; set; } = "";
}

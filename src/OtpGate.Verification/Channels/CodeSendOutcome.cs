namespace OtpGate.Verification.Channels;

/// <summary>What became of one send, in the engine's terms: a small closed set the outbox records (docs/architecture.md).</summary>
public abstract record CodeSendOutcome
{
    private protected CodeSendOutcome()
    {
    }
}

/// <summary>The channel took the message and gave its id; delivery news will name that id.</summary>
public sealed record CodeAccepted(string MessageId) : CodeSendOutcome;

/// <summary>The channel queued the message on its side without an id yet. Not sent again: it may still go out.</summary>
public sealed record CodeQueuedByChannel(string JobId) : CodeSendOutcome;

/// <summary>
/// The channel refused the message. A permanent refusal will not change by trying again (the verification fails); a
/// temporary one is tried again later like <see cref="CodeRetryLater"/>.
/// </summary>
public sealed record CodeRejected(FailureReason Reason, bool Permanent, string? Detail) : CodeSendOutcome;

/// <summary>
/// The message surely did not go out and a later try may succeed: after <paramref name="After"/> when the channel said,
/// else after the outbox's backoff. <paramref name="Why"/> says it in words for the timeline.
/// </summary>
public sealed record CodeRetryLater(TimeSpan? After, string Why, string? Detail) : CodeSendOutcome;

/// <summary>No clear answer (a timeout or a 5xx after the request left): the message may or may not have gone out.</summary>
public sealed record CodeOutcomeUnknown(string? Detail) : CodeSendOutcome;

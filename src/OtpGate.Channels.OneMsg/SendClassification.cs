using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg;

/// <summary>1MSG's answer to a <c>sendTemplate</c>, in the engine's terms (docs/architecture.md, "Send outcomes").</summary>
internal static class SendClassification
{
    public static CodeSendOutcome Classify(SendResult result) => result switch
    {
        SendAccepted accepted => new CodeAccepted(accepted.MessageId),
        // A job id without a message id: 1MSG may still send it, so it is never sent again.
        SendQueued queued => new CodeQueuedByChannel(queued.JobId),
        // HTTP 200 with sent: false (no opt-in, a body-only authentication template): 1MSG will not send it. One that says
        // the number cannot get it (no opt-in, not on WhatsApp) is undeliverable, which may send the code by SMS instead;
        // anything else (a template problem) stays a refusal that fails and alerts.
        SendRejected rejected => new CodeRejected(SaysUndeliverable(rejected.Message) ? FailureReason.Undeliverable : FailureReason.Rejected, Permanent: true, rejected.Message),
        // 429, or a request that surely never left: safe to try again.
        SendFailed { IsRetryable: true } retryable => new CodeRetryLater(retryable.RetryAfter, $"1MSG was unavailable ({retryable.Kind})", retryable.Message),
        // A timeout or 5xx after the request left: it may have gone out, so it is never retried blindly.
        SendFailed { Kind: SendFailureKind.Ambiguous or SendFailureKind.Unknown } unclear => new CodeOutcomeUnknown(unclear.Message),
        SendFailed failed => new CodeRejected(ReasonOf(failed.Kind), Permanent: true, failed.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "Not a 1MSG send result."),
    };

    private static readonly string[] UndeliverableWords = ["opted in", "opted-in", "opt-in", "opt in", "not a whatsapp", "not on whatsapp", "131026"];

    private static bool SaysUndeliverable(string? message) =>
        message is not null && UndeliverableWords.Any(word => message.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>The reason a refusal of the request itself stands for.</summary>
    public static FailureReason ReasonOf(SendFailureKind kind) => kind switch
    {
        SendFailureKind.InvalidPhone => FailureReason.InvalidPhone,
        SendFailureKind.TemplateNotFound => FailureReason.TemplateNotFound,
        SendFailureKind.TemplateNotApproved => FailureReason.TemplateNotApproved,
        SendFailureKind.MissingNamespace => FailureReason.MissingNamespace,
        SendFailureKind.ParameterMismatch => FailureReason.ParameterMismatch,
        SendFailureKind.InvalidRequest => FailureReason.InvalidRequest,
        SendFailureKind.Unauthorized => FailureReason.Unauthorized,
        SendFailureKind.RateLimited or SendFailureKind.Transient => FailureReason.ProviderUnavailable,
        SendFailureKind.Ambiguous or SendFailureKind.Unknown => FailureReason.Ambiguous,
        _ => FailureReason.SendFailed,
    };
}

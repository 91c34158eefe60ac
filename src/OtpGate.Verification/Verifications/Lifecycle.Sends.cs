using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Events;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// The send side's transitions: what each outcome of a send, and each piece of delivery news, does to the send and its
/// verification. The outbox dispatcher and the delivery intake only call these (and count and log what they return).
/// </summary>
internal static partial class Lifecycle
{
    // The shortest message time to live WhatsApp allows: a code with less lifetime than this left is not worth sending.
    private const long MinimumUsefulLifetimeMs = 30_000;

    /// <summary>The verification ended (or expired) while its send waited: the job ends with nothing sent.</summary>
    public static Task SendCanceledAsync(WriteScope scope, long sendId, long now) =>
        OutboxStore.FinishAsync(scope, sendId, "canceled", SendStatus.Queued, null, now);

    /// <summary>The channel took the message: its id is stored and polled for after <paramref name="pollAt"/>.</summary>
    public static async Task SendAcceptedAsync(WriteScope scope, string verificationId, long sendId, string messageId, long pollAt, long now)
    {
        // Before the id is recorded: news for it taken in meanwhile waits, then sees the send (DeliveryStore.LockMessageIdAsync).
        await DeliveryStore.LockMessageIdAsync(scope, messageId);
        await OutboxStore.MarkAcceptedAsync(scope, sendId, messageId, now, pollAt);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.Accepted, SendStatus.Accepted.ToWireName(), null, now);
        await EventRaiser.RaiseAsync(scope, verificationId, EventType.Sent, now, SendStatus.Accepted.ToWireName());
    }

    /// <summary>The channel queued the message on its side: recorded, never sent again.</summary>
    public static async Task SendQueuedByChannelAsync(WriteScope scope, string verificationId, long sendId, string jobId, long now)
    {
        await OutboxStore.MarkProviderQueuedAsync(scope, sendId, jobId, now);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.ProviderQueued, SendStatus.ProviderQueued.ToWireName(), null, now);
    }

    /// <summary>
    /// The send failed for good: the send is <c>failed</c> with its reason, and the verification fails unless another of
    /// its sends may still deliver the code. True when the verification ended.
    /// </summary>
    public static async Task<bool> SendFailedAsync(WriteScope scope, string verificationId, long sendId, FailureReason reason, string? detail, long now)
    {
        var name = reason.ToWireName();
        await OutboxStore.FinishAsync(scope, sendId, "failed", SendStatus.Failed, name, now);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.SendFailed, SendStatus.Failed.ToWireName(), detail is null ? name : $"{name}: {detail}", now);
        return await FailUnlessAnotherSendLivesAsync(scope, verificationId, sendId, reason, now);
    }

    /// <summary>
    /// The channel asked to try again: the job is due again after <paramref name="delay"/>, unless the code would then be
    /// too close to its expiry to be worth sending, when the send fails now, visibly (<c>provider_unavailable</c>).
    /// True when it was rescheduled.
    /// </summary>
    public static async Task<bool> SendRetryLaterAsync(
        WriteScope scope, string verificationId, long sendId, long expiresAt, TimeSpan delay, string why, string? detail, long now)
    {
        var dueAt = now + VerificationService.Ms(delay);
        if (dueAt >= expiresAt - MinimumUsefulLifetimeMs)
        {
            await SendFailedAsync(scope, verificationId, sendId, FailureReason.ProviderUnavailable, detail, now);
            return false;
        }

        await OutboxStore.RescheduleAsync(scope, sendId, dueAt, FailureReason.ProviderUnavailable.ToWireName());
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.SendRetry, SendStatus.Queued.ToWireName(),
            $"{why}; retrying in {Math.Ceiling(delay.TotalSeconds)} s", now);
        return true;
    }

    /// <summary>
    /// No clear answer: the send is <c>unknown</c>, and at most one automatic resend of the same code is queued, while
    /// <paramref name="sameCodeMinRemaining"/> of its lifetime remains (a duplicate is harmless, a lost code is not).
    /// True when the resend was queued.
    /// </summary>
    public static async Task<bool> SendOutcomeUnknownAsync(
        WriteScope scope, string verificationId, long sendId, SendReason reason, long expiresAt, TimeSpan sameCodeMinRemaining, string detail, long now)
    {
        await OutboxStore.FinishAsync(scope, sendId, "done", SendStatus.Unknown, FailureReason.Ambiguous.ToWireName(), now);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.SendAmbiguous, SendStatus.Unknown.ToWireName(), detail, now);
        if (reason == SendReason.AmbiguousRetry || expiresAt - now < VerificationService.Ms(sameCodeMinRemaining))
        {
            return false;
        }

        await EnqueueSendAsync(scope, verificationId, SendReason.AmbiguousRetry, now, now, "automatic resend after an unclear answer (same code)");
        await Limits.LimitPolicy.RecordAutomaticSendAsync(scope, verificationId, now);
        return true;
    }

    /// <summary>
    /// Applies one piece of delivery news (its first arrival: duplicates never get here) to the send with its message id:
    /// the <c>delivery</c> timeline entry always, the send's status only when the news moves it forward (a late
    /// <c>sent</c> after <c>read</c> is recorded, the send stays read). A failure may end the verification; a delivery
    /// after a failure may revive it (<see cref="ReviveAsync"/>). Null when no send has the message id yet (the news waits).
    /// </summary>
    public static async Task<NewsApplied?> ApplyDeliveryNewsAsync(WriteScope scope, Receipt receipt, DispatchOptions dispatch, long now)
    {
        var status = WireNames.ParseSendStatus(receipt.Status);
        var failed = status == SendStatus.Failed;
        var reason = failed ? WireNames.TryParseFailureReason(receipt.FailureReason) ?? FailureReason.DeliveryFailed : (FailureReason?)null;
        var moved = await DeliveryStore.ApplyAsync(scope, receipt, now);
        if ((moved ?? await DeliveryStore.FindSendAsync(scope, receipt.MessageId)) is not { } send)
        {
            return null;
        }

        await RecordAsync(scope, send.VerificationId, send.Id, TimelineEventKind.Delivery, receipt.Status, failed ? Describe(receipt) : null, now);
        if (moved is null)
        {
            // Behind the send's status: recorded and counted, but it changes neither the send nor the verification.
            return new NewsApplied(send.VerificationId, send.ServiceId, status, reason, VerificationFailed: false);
        }

        if (!failed)
        {
            var revived = status.IsDelivered() && await ReviveAsync(scope, send.VerificationId, send.Id, status, now);
            if (status is SendStatus.Delivered or SendStatus.Read)
            {
                // Once per send and status: only news that moved the send forward gets here.
                await EventRaiser.RaiseAsync(scope, send.VerificationId, status == SendStatus.Read ? EventType.Read : EventType.Delivered, now, receipt.Status);
            }

            return new NewsApplied(send.VerificationId, send.ServiceId, status, null, VerificationFailed: false, Revived: revived);
        }

        var ended = await DeliveryFailedAsync(scope, send, reason!.Value, receipt.Temporary != 0, dispatch, now);
        return new NewsApplied(send.VerificationId, send.ServiceId, status, reason, ended);
    }

    // A temporary failure (the network said "not now": WhatsApp's pair and throughput limits last seconds to minutes) is
    // worth one resend of the same code a little later; any other fails the verification unless another send may deliver.
    private static async Task<bool> DeliveryFailedAsync(WriteScope scope, ReceiptTarget send, FailureReason reason, bool temporary, DispatchOptions dispatch, long now)
    {
        if (await VerificationStore.FindAsync(scope.Connection, send.VerificationId, scope.Transaction) is not { } verification || verification.CurrentStatus() != VerificationStatus.Pending)
        {
            return false;
        }

        if (!temporary)
        {
            return await FailUnlessAnotherSendLivesAsync(scope, verification.Id, send.Id, reason, now, revivable: true);
        }

        var retryAt = now + VerificationService.Ms(dispatch.RetryBaseDelay * 6);
        if (send.Reason != SendReason.DeliveryRetry.ToWireName() && retryAt < verification.ExpiresAt - MinimumUsefulLifetimeMs)
        {
            await EnqueueSendAsync(scope, verification.Id, SendReason.DeliveryRetry, retryAt, now, "resend after a temporary WhatsApp limit (same code)");
            await Limits.LimitPolicy.RecordAutomaticSendAsync(scope, verification.Id, now);
        }

        return false;
    }

    private static string Describe(Receipt receipt) =>
        (receipt.ErrorCode, receipt.ErrorText) switch
        {
            ({ } code, { } text) => $"{text} ({code})",
            (null, { } text) => text,
            ({ } code, null) => $"WhatsApp error {code}",
            _ => "failed without a reason",
        };
}

/// <summary>
/// What a piece of delivery news did, to a verification of which service: its status (recorded, whether or not it moved the send), for a failure its reason
/// and whether it ended the verification, and whether a delivery revived a failed verification.
/// </summary>
internal sealed record NewsApplied(string VerificationId, string ServiceId, SendStatus Status, FailureReason? FailureReason, bool VerificationFailed, bool Revived = false);

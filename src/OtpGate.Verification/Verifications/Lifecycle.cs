using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// The transitions every path shares, each doing all it means in the caller's transaction: ending a verification, and
/// queueing a send. Start, check, resend, cancel, expiry, the dispatcher and the delivery intake all go through here.
/// </summary>
internal static partial class Lifecycle
{
    /// <summary>
    /// Ends a pending verification with a terminal status: the status and its time, the code material erased, its
    /// queued sends canceled, the timeline event named after the status (with <paramref name="reason"/> as its detail),
    /// and watchers told once the transaction commits. False, with nothing done, when it was no longer pending.
    /// </summary>
    public static async Task<bool> EndAsync(WriteScope scope, string verificationId, string status, string? reason, long now)
    {
        if (!await VerificationStore.EndAsync(scope, verificationId, status, reason, now))
        {
            return false;
        }

        await EndedAsync(scope, verificationId, status, reason, now);
        return true;
    }

    /// <summary>
    /// Ends as <c>expired</c>, with all ending means, every pending verification past its expiry (only those of one
    /// phone and purpose, when given); returns their ids. The sweep and a start for the same phone use it.
    /// </summary>
    public static async Task<List<string>> ExpireDueAsync(WriteScope scope, long now, string? phone = null, string? purpose = null)
    {
        var expired = await VerificationStore.ExpireDueAsync(scope, now, phone, purpose);
        foreach (var id in expired)
        {
            await EndedAsync(scope, id, StatusNames.Expired, null, now);
        }

        return expired;
    }

    /// <summary>
    /// Ends the verification as <c>failed</c> unless another of its sends (than <paramref name="failedSendId"/>) may still
    /// deliver the code; false when it stays pending or had already ended.
    /// </summary>
    public static async Task<bool> FailUnlessAnotherSendLivesAsync(WriteScope scope, string verificationId, long failedSendId, string reason, long now) =>
        !await OutboxStore.HasLiveSendAsync(scope, verificationId, failedSendId)
        && await EndAsync(scope, verificationId, StatusNames.Failed, reason, now);

    // What follows a status change to an ending, whatever ended it: queued sends canceled, the event, watchers told.
    private static async Task EndedAsync(WriteScope scope, string verificationId, string status, string? reason, long now)
    {
        await OutboxStore.CancelQueuedAsync(scope, verificationId, now);
        await VerificationStore.AddEventAsync(scope, verificationId, null, status, status, reason, now);
    }

    /// <summary>
    /// Queues a send of the verification's current code: the outbox job, the <c>send_queued</c> timeline event, and
    /// the dispatchers woken once the transaction commits (other instances' through the database). Returns the send's id.
    /// </summary>
    public static async Task<long> EnqueueSendAsync(WriteScope scope, string verificationId, SendReason reason, long dueAt, long now, string? detail = null)
    {
        var sendId = await OutboxStore.EnqueueAsync(scope, verificationId, reason, dueAt, now);
        await VerificationStore.AddEventAsync(scope, verificationId, sendId, "send_queued", SendStatus.Queued.ToWire(), detail, now);
        scope.MarkSendQueued();
        return sendId;
    }
}

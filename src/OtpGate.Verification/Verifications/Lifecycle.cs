using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Events;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// The verification state machine: every transition is one method here, doing all it means in the caller's
/// transaction (the row, the code material, the outbox, the timeline, the change notice). The callers (start, check,
/// resend, cancel, expiry, the outbox dispatcher, the delivery intake) decide whether a request may go ahead (owner,
/// limits, cooldowns); this class decides what it does to the verification. <c>docs/architecture.md</c> draws it.
/// </summary>
/// <remarks>A verification is <c>pending</c> until exactly one ending; every ending is written only while it is still
/// pending (one conditional UPDATE), so two endings racing each other leave the first.</remarks>
internal static partial class Lifecycle
{
    /// <summary>Start: the new pending verification, its <c>created</c> entry, and (unless a test number) its first send.</summary>
    public static async Task CreateAsync(WriteScope scope, VerificationRow row, long now)
    {
        var isTest = row.IsTest == 1;
        await VerificationStore.InsertAsync(scope, row);
        await RecordAsync(scope, row.Id, null, TimelineEventKind.Created, VerificationStatus.Pending.ToWireName(), isTest ? TestNumberDetail : null, now);
        await EventRaiser.RaiseAsync(scope, row, EventType.Started, now);
        if (!isTest)
        {
            await EnqueueSendAsync(scope, row.Id, SendReason.Start, now, now);
        }
    }

    /// <summary>What the <c>created</c> entry of a test number says.</summary>
    public const string TestNumberDetail = "test number: no message is sent";

    /// <summary>Right code: approved (false when it had ended meanwhile).</summary>
    public static Task<bool> ApproveAsync(WriteScope scope, string verificationId, long now) =>
        EndAsync(scope, verificationId, VerificationStatus.Approved, null, now);

    /// <summary>Wrong code: a <c>check_failed</c> entry, and the end (<c>max_attempts_reached</c>) when it was the last attempt.</summary>
    public static async Task WrongCodeAsync(WriteScope scope, string verificationId, int attemptsLeft, long now)
    {
        await RecordAsync(scope, verificationId, null, TimelineEventKind.CheckFailed, null, $"{attemptsLeft} attempts left", now);
        if (attemptsLeft == 0)
        {
            await AttemptsExhaustedAsync(scope, verificationId, now);
        }
    }

    /// <summary>No attempts left: ends as <c>max_attempts_reached</c>.</summary>
    public static Task<bool> AttemptsExhaustedAsync(WriteScope scope, string verificationId, long now) =>
        EndAsync(scope, verificationId, VerificationStatus.MaxAttemptsReached, null, now);

    /// <summary>Cancel: ends as <c>canceled</c> (false when it had already ended).</summary>
    public static Task<bool> CancelAsync(WriteScope scope, string verificationId, long now) =>
        EndAsync(scope, verificationId, VerificationStatus.Canceled, null, now);

    /// <summary>Its code's lifetime is over: ends as <c>expired</c> (false when it had already ended).</summary>
    public static Task<bool> ExpireAsync(WriteScope scope, string verificationId, long now) =>
        EndAsync(scope, verificationId, VerificationStatus.Expired, null, now);

    /// <summary>
    /// Resend: a new code with a new lifetime when <paramref name="newCode"/> is given (the attempt count is kept), the
    /// send counted with its next cooldown, and the send queued: through the verification's channel, or by SMS at the
    /// user's request when <paramref name="bySms"/> (a <c>fallback</c> entry with the cause <c>user_request</c>).
    /// </summary>
    public static async Task ResendAsync(WriteScope scope, string verificationId, ProtectedCode? newCode, long newExpiresAt, long nextResendAt, long now, bool bySms = false)
    {
        if (newCode is not null)
        {
            await VerificationStore.UpdateCodeAsync(scope, verificationId, newCode.KeyId, newCode.Mac, newCode.Cipher, newExpiresAt, now);
        }

        await VerificationStore.RecordSendAsync(scope, verificationId, nextResendAt, now);
        var which = newCode is not null ? "a new code" : "the same code";
        if (bySms)
        {
            await FallBackAsync(scope, verificationId, $"{FallbackCause.UserRequest.ToWireName()}: the code was asked for by SMS", $"{which} by SMS", now);
            return;
        }

        await EnqueueSendAsync(scope, verificationId, SendReason.Resend, now, now, $"resend with {which}");
    }

    /// <summary>
    /// The code goes by SMS instead: the SMS send (reason <c>fallback</c>) queued now, with the <c>fallback</c> entry
    /// (<paramref name="detail"/>: the cause's wire name, then what happened) and its <c>send_queued</c> entry. The
    /// caller decided it may (<see cref="Fallback.SmsFallback"/>, or a resend the user asked for by SMS).
    /// </summary>
    public static async Task<long> FallBackAsync(WriteScope scope, string verificationId, string detail, string queuedDetail, long now)
    {
        var sendId = await OutboxStore.EnqueueAsync(scope, verificationId, SendReason.Fallback, now, now, CodeChannels.SmsName);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.Fallback, null, detail, now);
        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.SendQueued, SendStatus.Queued.ToWireName(), queuedDetail, now);
        scope.MarkSendQueued();
        return sendId;
    }

    /// <summary>
    /// Ends a pending verification with a terminal status: the status and its time, the code material erased, its
    /// queued sends canceled, the timeline entry named after the status (with <paramref name="reason"/> as its detail),
    /// and watchers told once the transaction commits. False, with nothing done, when it was no longer pending.
    /// </summary>
    public static async Task<bool> EndAsync(WriteScope scope, string verificationId, VerificationStatus status, string? reason, long now, bool keepCode = false)
    {
        if (status == VerificationStatus.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A verification ends with a terminal status.");
        }

        if (await VerificationStore.EndAsync(scope, verificationId, status.ToWireName(), reason, now, keepCode) is not { } serviceId)
        {
            return false;
        }

        await EndedAsync(scope, verificationId, serviceId, status, reason, now);
        return true;
    }

    /// <summary>
    /// Ends as <c>expired</c>, with all ending means, every pending verification past its expiry (only those of one
    /// phone and purpose, when given); returns their ids. The sweep and a start for the same phone use it.
    /// </summary>
    public static async Task<List<string>> ExpireDueAsync(WriteScope scope, long now, string? phone = null, string? purpose = null)
    {
        if (phone is null)
        {
            // The sweep: codes kept by delivery failures are erased once they could no longer be revived.
            await VerificationStore.EraseLapsedCodesAsync(scope, now);
        }

        var expired = await VerificationStore.ExpireDueAsync(scope, now, phone, purpose);
        foreach (var verification in expired)
        {
            await EndedAsync(scope, verification.Id, verification.ServiceId, VerificationStatus.Expired, null, now);
        }

        return [.. expired.Select(v => v.Id)];
    }

    /// <summary>
    /// Ends the verification as <c>failed</c> unless another of its sends (than <paramref name="failedSendId"/>) may still
    /// deliver the code; false when it stays pending or had already ended. A <paramref name="revivable"/> failure (news
    /// from the network about a message that left) keeps the code material until its expiry, for <see cref="ReviveAsync"/>.
    /// </summary>
    public static async Task<bool> FailUnlessAnotherSendLivesAsync(
        WriteScope scope, string verificationId, long failedSendId, FailureReason reason, long now, bool revivable = false) =>
        !await OutboxStore.HasLiveSendAsync(scope, verificationId, failedSendId)
        && await EndAsync(scope, verificationId, VerificationStatus.Failed, reason.ToWireName(), now, keepCode: revivable);

    /// <summary>
    /// A message reported failed reached another of the user's devices after all (<paramref name="status"/> is delivered
    /// or read): a verification that failed on that delivery failure is pending again, with its code checkable, while
    /// its lifetime lasts. Nothing changes when it ended any other way (approved, canceled, expired, attempts used up, a
    /// failure that erased the code), when a later resend replaced the message, or when its owner started another
    /// verification for the phone meanwhile. True when it was revived.
    /// </summary>
    public static async Task<bool> ReviveAsync(WriteScope scope, string verificationId, long deliveredSendId, SendStatus status, long now)
    {
        if (!await VerificationStore.ReviveAsync(scope, verificationId, deliveredSendId, now))
        {
            return false;
        }

        await RecordAsync(scope, verificationId, deliveredSendId, TimelineEventKind.Revived, VerificationStatus.Pending.ToWireName(),
            $"{status.ToWireName()} after the failure: another device got the code", now);
        return true;
    }

    // What follows a status change to an ending, whatever ended it: queued sends canceled, the entry, watchers told,
    // the ending's event, and an expiry counted in the metrics once it commits.
    private static async Task EndedAsync(WriteScope scope, string verificationId, string serviceId, VerificationStatus status, string? reason, long now)
    {
        if (status == VerificationStatus.Expired)
        {
            scope.MarkExpired(serviceId);
        }

        await OutboxStore.CancelQueuedAsync(scope, verificationId, now);
        await RecordAsync(scope, verificationId, null, status.EndingEvent(), status.ToWireName(), reason, now);
        await EventRaiser.RaiseAsync(scope, verificationId, EventTypes.ForEnding(status), now);
    }

    /// <summary>
    /// Queues a send of the verification's current code (through <paramref name="channel"/>, or the verification's own
    /// when null): the outbox job, the <c>send_queued</c> entry, and the dispatchers woken once the transaction commits
    /// (other instances' told after it by PostgresOutboxListener). Returns the send's id.
    /// </summary>
    public static async Task<long> EnqueueSendAsync(WriteScope scope, string verificationId, SendReason reason, long dueAt, long now, string? detail = null, string? channel = null)
    {
        var sendId = await OutboxStore.EnqueueAsync(scope, verificationId, reason, dueAt, now, channel);
        if (scope.Spend is { } spend)
        {
            // Every send is charged as it is queued, automatic resends and SMS fallbacks included (Fraud/SpendMeter).
            await spend.ChargeSendAsync(scope, sendId, now);
        }

        await RecordAsync(scope, verificationId, sendId, TimelineEventKind.SendQueued, SendStatus.Queued.ToWireName(), detail, now);
        scope.MarkSendQueued();
        return sendId;
    }

    /// <summary>Adds a timeline entry (which also tells watchers once the transaction commits).</summary>
    public static Task RecordAsync(WriteScope scope, string verificationId, long? sendId, TimelineEventKind kind, string? status, string? detail, long now) =>
        VerificationStore.AddEventAsync(scope, verificationId, sendId, kind.ToWireName(), status, detail, now);

    /// <summary>The stored status of a row, as the closed type.</summary>
    public static VerificationStatus CurrentStatus(this VerificationRow row) => WireNames.ParseVerificationStatus(row.Status);
}

using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OtpGate.OneMsg.Phones;
using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Outbox;

public sealed partial class OutboxDispatcher
{
    // Meta's shortest message TTL: a code with less lifetime than this left is not worth sending.
    private const long MinimumUsefulLifetimeMs = 30_000;

    /// <summary>Applies the send outcomes of docs/architecture.md to one send's outcome, in one transaction.</summary>
    private async Task RecordOutcomeAsync(ClaimedJob job, JobContext context, SendResult result, string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        switch (result)
        {
            case SendAccepted accepted:
                await OutboxStore.MarkAcceptedAsync(scope, job.Id, accepted.MessageId, now, now + VerificationService.Ms(_options.Dispatch.StatusPollAfter));
                await VerificationStore.AddEventAsync(scope, context.Id, job.Id, "accepted", SendStatus.Accepted, null, now);
                metrics.Accepted();
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var phone = PhoneMasking.Mask(context.Phone);
                    var messageId = MessageIdMasking.Fingerprint(accepted.MessageId);
                    LogAccepted(logger, context.Id, (int)job.Seq, phone, messageId);
                }

                // Statuses that arrived before we knew this message id are applied now, in order.
                await intake.ReconcileAsync(scope, accepted.MessageId, now);
                break;

            case SendQueued queued:
                await OutboxStore.MarkProviderQueuedAsync(scope, job.Id, queued.JobId, now);
                await VerificationStore.AddEventAsync(scope, context.Id, job.Id, "provider_queued", SendStatus.ProviderQueued, null, now);
                break;

            case SendRejected rejected:
                await FailPermanentlyAsync(scope, job, context, FailureReasons.Rejected, Scrub(rejected.Message, code), now);
                break;

            case SendFailed { IsRetryable: true } retryable:
                await RetryOrGiveUpAsync(scope, job, context, retryable, code, now);
                break;

            case SendFailed { Kind: SendFailureKind.Ambiguous or SendFailureKind.Unknown } ambiguous:
                await RecordAmbiguousAsync(scope, job, context, Scrub(ambiguous.Message, code) ?? "no answer", now);
                break;

            case SendFailed failed:
                await FailPermanentlyAsync(scope, job, context, FailureReasons.From(failed.Kind), Scrub(failed.Message, code), now);
                break;
        }

        await scope.CommitAsync(cancellationToken);
    }

    private async Task RetryOrGiveUpAsync(WriteScope scope, ClaimedJob job, JobContext context, SendFailed failure, string code, long now)
    {
        var delay = failure.RetryAfter ?? Backoff((int)job.Tries);
        var dueAt = now + VerificationService.Ms(delay);
        if (dueAt >= context.ExpiresAt - MinimumUsefulLifetimeMs)
        {
            // A retry that lands this close to the code's expiry would deliver a dead code: give up now, visibly.
            await FailPermanentlyAsync(scope, job, context, FailureReasons.ProviderUnavailable, Scrub(failure.Message, code), now);
            return;
        }

        await OutboxStore.RescheduleAsync(scope, job.Id, dueAt, FailureReasons.From(failure.Kind));
        await VerificationStore.AddEventAsync(scope, context.Id, job.Id, "send_retry", SendStatus.Queued,
            $"1MSG was unavailable ({failure.Kind}); retrying in {Math.Ceiling(delay.TotalSeconds)} s", now);
        LogRetry(logger, context.Id, failure.Kind, delay);
    }

    private async Task RecordAmbiguousAsync(WriteScope scope, ClaimedJob job, JobContext context, string detail, long now)
    {
        await OutboxStore.FinishAsync(scope, job.Id, "done", SendStatus.Unknown, FailureReasons.Ambiguous, now);
        await VerificationStore.AddEventAsync(scope, context.Id, job.Id, "send_ambiguous", SendStatus.Unknown, detail, now);
        var enoughLifetime = context.ExpiresAt - now >= VerificationService.Ms(_options.SameCodeMinRemaining);
        if (job.Reason != SendReasons.AmbiguousRetry && enoughLifetime)
        {
            // At most one automatic resend, with the same code: a duplicate is harmless, a lost code is not.
            await Lifecycle.EnqueueSendAsync(scope, context.Id, SendReasons.AmbiguousRetry, now, now, "automatic resend after an unclear answer (same code)");
        }

        LogAmbiguous(logger, context.Id, job.Reason != SendReasons.AmbiguousRetry && enoughLifetime);
    }

    private async Task FailPermanentlyAsync(WriteScope scope, ClaimedJob job, JobContext context, string reason, string? detail, long now)
    {
        await OutboxStore.FinishAsync(scope, job.Id, "failed", SendStatus.Failed, reason, now);
        await VerificationStore.AddEventAsync(scope, context.Id, job.Id, "send_failed", SendStatus.Failed, detail is null ? reason : $"{reason}: {detail}", now);
        metrics.Failed(reason);
        LogSendFailed(logger, context.Id, reason);
        await Lifecycle.FailUnlessAnotherSendLivesAsync(scope, context.Id, job.Id, reason, now);
    }

    private TimeSpan Backoff(int tries)
    {
        var exponential = _options.Dispatch.RetryBaseDelay * Math.Pow(2, Math.Min(10, Math.Max(0, tries - 1)));
        var capped = exponential > _options.Dispatch.RetryMaxDelay ? _options.Dispatch.RetryMaxDelay : exponential;
        // Full jitter between half and the whole delay, so many failed jobs do not return at once.
        return capped * (0.5 + (RandomNumberGenerator.GetInt32(0, 1000) / 2000.0));
    }

    /// <summary>1MSG messages are kept for operators; the code is removed from them in case one echoes it.</summary>
    private static string? Scrub(string? message, string code)
    {
        if (message is null)
        {
            return null;
        }

        var scrubbed = message.Replace(code, "***", StringComparison.Ordinal);
        return scrubbed.Length > 300 ? scrubbed[..300] : scrubbed;
    }

    // Debug: at Information, one line per verification ("started") is enough, and each line costs the server throughput.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Verification {VerificationId}: send {Sequence} to {Phone} accepted by 1MSG as message {MessageId}")]
    private static partial void LogAccepted(ILogger logger, string verificationId, int sequence, string phone, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: send failed ({Reason})")]
    private static partial void LogSendFailed(ILogger logger, string verificationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId}: 1MSG unavailable ({Kind}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string verificationId, SendFailureKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: unclear answer from 1MSG (timeout or 5xx); automatic resend queued: {Resending}")]
    private static partial void LogAmbiguous(ILogger logger, string verificationId, bool resending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Send job {SendId} failed unexpectedly; it will be retried after its lease")]
    private static partial void LogJobFailed(ILogger logger, long sendId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A dispatcher pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

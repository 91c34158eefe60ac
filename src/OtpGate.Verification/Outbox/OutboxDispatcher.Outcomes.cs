using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Outbox;

public sealed partial class OutboxDispatcher
{
    /// <summary>Records one send's outcome (docs/architecture.md, "Send outcomes") through <see cref="Lifecycle"/>, in one transaction.</summary>
    private async Task RecordOutcomeAsync(ClaimedJob job, JobContext context, SendRules rules, CodeSendOutcome outcome, string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        switch (outcome)
        {
            case CodeAccepted accepted:
                await Lifecycle.SendAcceptedAsync(scope, context.Id, job.Id, accepted.MessageId, now + VerificationService.Ms(_options.Dispatch.StatusPollAfter), now,
                    FallbackDueAt(job, rules, now), job.Channel);
                metrics.Accepted(context.ServiceId);
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    var phone = PhoneMasking.Mask(context.Phone);
                    var messageId = MessageIdFingerprint.Of(accepted.MessageId);
                    LogAccepted(logger, context.Id, (int)job.Seq, phone, job.Channel, messageId);
                }

                // News that arrived before we knew this message id is applied now, in order.
                await intake.ReconcileAsync(scope, accepted.MessageId, now);
                break;

            case CodeQueuedByChannel queued:
                await Lifecycle.SendQueuedByChannelAsync(scope, context.Id, job.Id, queued.JobId, now);
                break;

            case CodeRejected { Permanent: true } rejected:
                await FailAsync(scope, job, context, rejected.Reason, Scrub(rejected.Detail, code), now);
                break;

            case CodeRejected temporary:
                await RetryAsync(scope, job, context, null, $"{job.Channel} refused it for now ({temporary.Reason.ToWireName()})", Scrub(temporary.Detail, code), now);
                break;

            case CodeRetryLater later:
                await RetryAsync(scope, job, context, later.After, later.Why, Scrub(later.Detail, code), now);
                break;

            case CodeOutcomeUnknown unknown:
                var resending = await Lifecycle.SendOutcomeUnknownAsync(scope, context.Id, job.Id, ParseReason(job), context.ExpiresAt,
                    rules.SameCodeMinRemaining, Scrub(unknown.Detail, code) ?? "no answer", now, job.Channel);
                LogAmbiguous(logger, context.Id, resending);
                break;
        }

        await scope.CommitAsync(cancellationToken);
    }

    private async Task RetryAsync(WriteScope scope, ClaimedJob job, JobContext context, TimeSpan? after, string why, string? detail, long now)
    {
        var delay = after ?? Backoff((int)job.Tries);
        if (await Lifecycle.SendRetryLaterAsync(scope, context.Id, job.Id, context.ExpiresAt, delay, why, detail, now))
        {
            LogRetry(logger, context.Id, why, delay);
        }
        else
        {
            Failed(context, FailureReason.ProviderUnavailable);
        }
    }

    private async Task FailAsync(WriteScope scope, ClaimedJob job, JobContext context, FailureReason reason, string? detail, long now)
    {
        // A refusal of an SMS never falls back (to what?): it fails as any send does.
        await Lifecycle.SendFailedAsync(scope, context.Id, job.Id, reason, detail, now, job.Channel == CodeChannels.SmsName ? null : fallback);
        Failed(context, reason);
    }

    /// <summary>
    /// When a send through another channel than SMS falls back to SMS unless a delivered status came: its service's
    /// deadline after the acceptance, while an SMS channel is configured and the service allows fallback; else null.
    /// </summary>
    private long? FallbackDueAt(ClaimedJob job, SendRules rules, long now) =>
        fallback.Available && rules.Sms.Fallback && job.Channel != CodeChannels.SmsName ? now + VerificationService.Ms(rules.Sms.DeliveryDeadline) : null;

    private void Failed(JobContext context, FailureReason reason)
    {
        metrics.Failed(context.ServiceId, reason.ToWireName());
        LogSendFailed(logger, context.Id, reason.ToWireName());
    }

    private static SendReason ParseReason(ClaimedJob job) => WireNames.ParseSendReason(job.Reason);

    private TimeSpan Backoff(int tries)
    {
        var exponential = _options.Dispatch.RetryBaseDelay * Math.Pow(2, Math.Min(10, Math.Max(0, tries - 1)));
        var capped = exponential > _options.Dispatch.RetryMaxDelay ? _options.Dispatch.RetryMaxDelay : exponential;
        // Full jitter between half and the whole delay, so many failed jobs do not return at once.
        return capped * (0.5 + (RandomNumberGenerator.GetInt32(0, 1000) / 2000.0));
    }

    /// <summary>A channel's words are kept for operators; the code is removed from them in case one echoes it.</summary>
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
    [LoggerMessage(Level = LogLevel.Debug, Message = "Verification {VerificationId}: send {Sequence} to {Phone} accepted by the {Channel} channel as message {MessageId}")]
    private static partial void LogAccepted(ILogger logger, string verificationId, int sequence, string phone, string channel, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: send failed ({Reason})")]
    private static partial void LogSendFailed(ILogger logger, string verificationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId}: {Why}; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string verificationId, string why, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: unclear answer from the channel (timeout or 5xx); automatic resend queued: {Resending}")]
    private static partial void LogAmbiguous(ILogger logger, string verificationId, bool resending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Send job {SendId} failed unexpectedly; it will be retried after its lease")]
    private static partial void LogJobFailed(ILogger logger, long sendId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A dispatcher pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

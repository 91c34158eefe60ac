using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Fallback;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// Takes delivery news from the channels (callbacks or polls), stores each once (message id, status), and applies it
/// through <see cref="Lifecycle"/>: the send's status only moves forward. News for a message id not recorded yet is
/// kept, for hours and up to a cap (<see cref="UnknownReceipts"/>), and applied when it is.
/// News never approves a verification: only the right code does.
/// </summary>
public sealed partial class DeliveryIntake(
    Database database,
    UnknownReceipts unknownReceipts,
    VerificationMetrics metrics,
    SmsFallback fallback,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<DeliveryIntake> logger)
{
    /// <summary>Stores and applies the news durably (one transaction); returns how many were new.</summary>
    public async Task<int> IngestAsync(IReadOnlyList<DeliveryNews> news, CancellationToken cancellationToken)
    {
        if (news.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var fresh = 0;
        var unknown = 0;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        // Every id first (PostgreSQL): news and the acceptance of its send take turns on the id.
        await DeliveryStore.LockMessageIdsAsync(scope, news.Where(IsUsable).Select(n => n.MessageId));

        foreach (var item in news)
        {
            if (!IsUsable(item))
            {
                continue;
            }

            var receipt = ToReceipt(item);
            // Stored as applied, the usual case, and corrected in the same transaction when its send is not known yet.
            if (!await DeliveryStore.TryInsertReceiptAsync(scope, receipt, now))
            {
                continue; // a duplicate: already stored (and applied, if its send is known)
            }

            fresh++;
            if (!await ApplyAsync(scope, receipt, now))
            {
                await DeliveryStore.MarkAppliedAsync(scope, receipt, applied: false);
                unknown++;
            }
        }

        var dropped = unknown > 0 ? await unknownReceipts.TrimAsync(scope) : 0;
        await scope.CommitAsync(cancellationToken);
        unknownReceipts.Dropped(dropped);
        return fresh;
    }

    private static bool IsUsable(DeliveryNews news) => !string.IsNullOrWhiteSpace(news.MessageId) && news.MessageId.Length <= 256;

    /// <summary>Applies the news that arrived before the message id was recorded, lowest rank first.</summary>
    internal async Task ReconcileAsync(WriteScope scope, string messageId, long now)
    {
        var waiting = await DeliveryStore.WaitingReceiptsAsync(scope, messageId);
        foreach (var receipt in waiting.OrderBy(r => WireNames.ParseSendStatus(r.Status).Rank()))
        {
            if (await ApplyAsync(scope, receipt, now))
            {
                await DeliveryStore.MarkAppliedAsync(scope, receipt, applied: true);
            }
        }
    }

    /// <summary>False when no send has this message id yet (the receipt waits).</summary>
    private async Task<bool> ApplyAsync(WriteScope scope, Receipt receipt, long now)
    {
        if (await Lifecycle.ApplyDeliveryNewsAsync(scope, receipt, options.Value.Dispatch, now, fallback) is not { } applied)
        {
            return false;
        }

        switch (applied.Status)
        {
            case SendStatus.Delivered:
                var createdAt = await DeliveryStore.VerificationCreatedAtAsync(scope, applied.VerificationId);
                metrics.Delivered(applied.ServiceId, TimeSpan.FromMilliseconds(now - (createdAt ?? now)));
                break;
            case SendStatus.Read:
                metrics.Read(applied.ServiceId);
                break;
            case SendStatus.Failed:
                metrics.Failed(applied.ServiceId, applied.FailureReason!.Value.ToWireName());
                if (applied.VerificationFailed)
                {
                    LogVerificationFailed(logger, applied.VerificationId, MessageIdFingerprint.Of(receipt.MessageId), applied.FailureReason.Value.ToWireName());
                }

                break;
        }

        if (applied.Revived)
        {
            LogVerificationRevived(logger, applied.VerificationId, MessageIdFingerprint.Of(receipt.MessageId), receipt.Status);
        }

        return true;
    }

    private static Receipt ToReceipt(DeliveryNews news) => new()
    {
        MessageId = news.MessageId,
        Status = ToStatus(news.Event).ToWireName(),
        OccurredAt = news.OccurredAt?.ToUnixTimeMilliseconds(),
        ErrorText = news.Failure?.Text is { Length: > 500 } text ? text[..500] : news.Failure?.Text,
        ErrorCode = news.Failure?.Code,
        FailureReason = news.Event == DeliveryEvent.Failed ? (news.Failure?.Reason ?? FailureReason.DeliveryFailed).ToWireName() : null,
        Temporary = news.Failure?.Temporary == true ? 1 : 0,
    };

    private static SendStatus ToStatus(DeliveryEvent e) => e switch
    {
        DeliveryEvent.Sent => SendStatus.Sent,
        DeliveryEvent.Delivered => SendStatus.Delivered,
        DeliveryEvent.Read => SendStatus.Read,
        DeliveryEvent.Failed => SendStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} failed: message {MessageId} could not be delivered ({Reason})")]
    private static partial void LogVerificationFailed(ILogger logger, string verificationId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} is pending again: message {MessageId} was {Status} after its failure (another device)")]
    private static partial void LogVerificationRevived(ILogger logger, string verificationId, string messageId, string status);
}

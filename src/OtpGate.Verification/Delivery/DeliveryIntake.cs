using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// Takes delivery statuses (from webhooks or <c>hookInfo</c>), stores each once (message id, status), and moves the
/// send's status forward only. Statuses for a message id not recorded yet are kept, for hours and up to a cap
/// (<see cref="UnknownReceipts"/>), and applied when it is.
/// A status never approves a verification: only the right code does.
/// </summary>
public sealed partial class DeliveryIntake(
    Database database,
    UnknownReceipts unknownReceipts,
    VerificationMetrics metrics,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<DeliveryIntake> logger)
{
    private static readonly string RankSql = $"""
        CASE delivery_status WHEN '{SendStatus.Queued}' THEN 0 WHEN '{SendStatus.Unknown}' THEN 1 WHEN '{SendStatus.ProviderQueued}' THEN 1
        WHEN '{SendStatus.Accepted}' THEN 2 WHEN '{SendStatus.Sent}' THEN 3 WHEN '{SendStatus.Failed}' THEN 4
        WHEN '{SendStatus.Delivered}' THEN 5 WHEN '{SendStatus.Read}' THEN 6 ELSE -1 END
        """;

    /// <summary>Stores and applies the events durably (one transaction); returns how many were new.</summary>
    public async Task<int> IngestAsync(IReadOnlyList<StatusEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var fresh = 0;
        var unknown = 0;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        foreach (var e in events)
        {
            var status = SendStatus.FromDelivery(e.Status);
            if (status is null || string.IsNullOrWhiteSpace(e.MessageId) || e.MessageId.Length > 256)
            {
                continue;
            }

            var receipt = new Receipt(e.MessageId, status, e.Timestamp?.ToUnixTimeMilliseconds(), Truncate(e.ErrorText), e.ErrorCode);
            // Stored as applied, the usual case, and corrected in the same transaction when its send is not known yet.
            var inserted = await scope.Connection.ExecuteScalarAsync<long?>("""
                INSERT INTO delivery_receipts (message_id, status, received_at, occurred_at, error_text, error_code, applied)
                VALUES (@MessageId, @Status, @now, @OccurredAt, @ErrorText, @ErrorCode, 1)
                ON CONFLICT (message_id, status) DO NOTHING
                RETURNING 1
                """, new { receipt.MessageId, receipt.Status, now, receipt.OccurredAt, receipt.ErrorText, receipt.ErrorCode }, scope.Transaction);
            if (inserted is null)
            {
                continue; // a duplicate: already stored (and applied, if its send is known)
            }

            fresh++;
            if (!await ApplyAsync(scope, receipt, now))
            {
                await MarkAppliedAsync(scope, receipt, applied: false);
                unknown++;
            }
        }

        var dropped = unknown > 0 ? await unknownReceipts.TrimAsync(scope) : 0;
        await scope.CommitAsync(cancellationToken);
        unknownReceipts.Dropped(dropped);
        return fresh;
    }

    /// <summary>Applies the statuses that arrived before the message id was recorded, lowest rank first.</summary>
    internal async Task ReconcileAsync(WriteScope scope, string messageId, long now)
    {
        var waiting = await scope.Connection.QueryAsync<Receipt>("""
            SELECT message_id, status, occurred_at, error_text, error_code FROM delivery_receipts
            WHERE message_id = @messageId AND applied = 0
            """, new { messageId }, scope.Transaction);
        foreach (var receipt in waiting.OrderBy(r => SendStatus.Rank(r.Status)))
        {
            if (await ApplyAsync(scope, receipt, now))
            {
                await MarkAppliedAsync(scope, receipt, applied: true);
            }
        }
    }

    /// <summary>False when no send has this message id yet (the receipt waits).</summary>
    private async Task<bool> ApplyAsync(WriteScope scope, Receipt receipt, long now)
    {
        var send = await scope.Connection.QuerySingleOrDefaultAsync<SendTarget>($"""
            UPDATE sends SET delivery_status = @Status, status_at = @now,
                   failure_reason = CASE WHEN @Status = '{SendStatus.Failed}' THEN @ErrorText ELSE failure_reason END,
                   error_code = CASE WHEN @Status = '{SendStatus.Failed}' THEN @ErrorCode ELSE error_code END,
                   next_poll_at = CASE WHEN @Status IN ('{SendStatus.Delivered}', '{SendStatus.Read}', '{SendStatus.Failed}') THEN NULL ELSE next_poll_at END
            WHERE message_id = @MessageId AND {RankSql} < @rank
            RETURNING id, verification_id, reason
            """, new { receipt.Status, now, receipt.ErrorText, receipt.ErrorCode, receipt.MessageId, rank = SendStatus.Rank(receipt.Status) }, scope.Transaction);
        if (send is null)
        {
            // Either unknown yet, or a stale status (a late "sent" after "delivered"): stale ones count as applied.
            return await scope.Connection.ExecuteScalarAsync<long?>("SELECT id FROM sends WHERE message_id = @MessageId", new { receipt.MessageId }, scope.Transaction) is not null;
        }

        var detail = receipt.Status == SendStatus.Failed ? Describe(receipt) : null;
        await VerificationStore.AddEventAsync(scope, send.VerificationId, send.Id, "delivery", receipt.Status, detail, now);
        switch (receipt.Status)
        {
            case SendStatus.Delivered:
                var createdAt = await scope.Connection.ExecuteScalarAsync<long?>(
                    "SELECT created_at FROM verifications WHERE id = @VerificationId", new { send.VerificationId }, scope.Transaction);
                metrics.Delivered(TimeSpan.FromMilliseconds(now - (createdAt ?? now)));
                break;
            case SendStatus.Read:
                metrics.Read();
                break;
            case SendStatus.Failed when await VerificationStore.FindAsync(scope.Connection, send.VerificationId, scope.Transaction) is { } verification:
                await HandleDeliveryFailureAsync(scope, send, verification, receipt, now);
                break;
        }

        return true;
    }

    private async Task HandleDeliveryFailureAsync(WriteScope scope, SendTarget send, VerificationRow verification, Receipt receipt, long now)
    {
        var reason = FailureReasons.FromDeliveryError((int?)receipt.ErrorCode, receipt.ErrorText);
        metrics.Failed(reason);
        if (verification.Status != VerificationStatus.Pending.ToWireName())
        {
            return;
        }

        var retryAt = now + VerificationService.Ms(options.Value.Dispatch.RetryBaseDelay * 6);
        if (FailureReasons.IsTransientDeliveryError((int?)receipt.ErrorCode))
        {
            if (send.Reason != SendReasons.DeliveryRetry && retryAt < verification.ExpiresAt - 30_000)
            {
                // WhatsApp said "not now" (pair or throughput limit): send the same code again a little later.
                await Lifecycle.EnqueueSendAsync(scope, verification.Id, SendReasons.DeliveryRetry, retryAt, now, "resend after a temporary WhatsApp limit (same code)");
            }

            return;
        }

        if (await Lifecycle.FailUnlessAnotherSendLivesAsync(scope, verification.Id, send.Id, reason, now))
        {
            LogVerificationFailed(logger, verification.Id, MessageIdMasking.Fingerprint(receipt.MessageId), reason);
        }
    }

    private static Task<int> MarkAppliedAsync(WriteScope scope, Receipt receipt, bool applied) =>
        scope.Connection.ExecuteAsync("UPDATE delivery_receipts SET applied = @applied WHERE message_id = @MessageId AND status = @Status",
            new { receipt.MessageId, receipt.Status, applied = applied ? 1 : 0 }, scope.Transaction);

    private static string Describe(Receipt receipt) =>
        (receipt.ErrorCode, receipt.ErrorText) switch
        {
            ({ } code, { } text) => $"{text} ({code})",
            (null, { } text) => text,
            ({ } code, null) => $"WhatsApp error {code}",
            _ => "failed without a reason",
        };

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} failed: message {MessageId} could not be delivered ({Reason})")]
    private static partial void LogVerificationFailed(ILogger logger, string verificationId, string messageId, string reason);

    internal sealed class Receipt
    {
        public Receipt()
        {
        }

        public Receipt(string messageId, string status, long? occurredAt, string? errorText, long? errorCode)
        {
            MessageId = messageId;
            Status = status;
            OccurredAt = occurredAt;
            ErrorText = errorText;
            ErrorCode = errorCode;
        }

        public string MessageId { get; set; } = "";
        public string Status { get; set; } = "";
        public long? OccurredAt { get; set; }
        public string? ErrorText { get; set; }
        public long? ErrorCode { get; set; }
    }

    private sealed class SendTarget
    {
        public long Id { get; set; }
        public string VerificationId { get; set; } = "";
        public string Reason { get; set; } = "";
    }
}

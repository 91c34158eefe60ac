using Dapper;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The SQL of delivery news: <c>delivery_receipts</c> (each piece of news once per message id and status, applied or
/// waiting for its send) and the delivery columns of <c>sends</c> (forward-only status, polling schedule).
/// </summary>
internal static class DeliveryStore
{
    /// <summary>
    /// Makes the transactions that touch one message id take turns (a no-op where writes are serialised anyway): the
    /// send's acceptance, which records the id and applies the news that waited for it, and each intake of news for it.
    /// Otherwise, on PostgreSQL, news taken in while the acceptance commits sees no send and waits, while the acceptance,
    /// not seeing that uncommitted news, finds nothing waiting: the news stays unapplied until the status poll.
    /// </summary>
    public static Task LockMessageIdAsync(WriteScope scope, string messageId) =>
        scope.Dialect.AdvisoryLocks ? LimitStore.LockAsync(scope, "message:" + messageId) : Task.CompletedTask;

    /// <summary>
    /// <see cref="LockMessageIdAsync"/> for a batch: each id once, all in one order, so that two batches sharing ids never
    /// wait for each other in a circle. Nothing is done (nor sorted) where writes are serialised anyway.
    /// </summary>
    public static async Task LockMessageIdsAsync(WriteScope scope, IEnumerable<string> messageIds)
    {
        if (!scope.Dialect.AdvisoryLocks)
        {
            return;
        }

        foreach (var messageId in messageIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await LockMessageIdAsync(scope, messageId);
        }
    }

    /// <summary>Stores a receipt as applied (the usual case); false when it was already stored (a duplicate).</summary>
    public static async Task<bool> TryInsertReceiptAsync(WriteScope scope, Receipt receipt, long now) =>
        await scope.Connection.ExecuteScalarAsync<long?>("""
            INSERT INTO delivery_receipts (message_id, status, received_at, occurred_at, error_text, error_code, failure_reason, temporary, applied)
            VALUES (@MessageId, @Status, @now, @OccurredAt, @ErrorText, @ErrorCode, @FailureReason, @Temporary, 1)
            ON CONFLICT (message_id, status) DO NOTHING
            RETURNING 1
            """, new { receipt.MessageId, receipt.Status, now, receipt.OccurredAt, receipt.ErrorText, receipt.ErrorCode, receipt.FailureReason, receipt.Temporary },
            scope.Transaction) is not null;

    public static Task<int> MarkAppliedAsync(WriteScope scope, Receipt receipt, bool applied) =>
        scope.Connection.ExecuteAsync("UPDATE delivery_receipts SET applied = @applied WHERE message_id = @MessageId AND status = @Status",
            new { receipt.MessageId, receipt.Status, applied = applied ? 1 : 0 }, scope.Transaction);

    /// <summary>The receipts waiting for this message id's send.</summary>
    public static async Task<List<Receipt>> WaitingReceiptsAsync(WriteScope scope, string messageId) =>
        (await scope.Connection.QueryAsync<Receipt>("""
            SELECT message_id, status, occurred_at, error_text, error_code, failure_reason, temporary FROM delivery_receipts
            WHERE message_id = @messageId AND applied = 0
            """, new { messageId }, scope.Transaction)).ToList();

    // Only a status of a higher rank moves a send; read and failed stop its polling (delivered polls on, for read).
    private static readonly string ApplySql = $"""
        UPDATE sends SET delivery_status = @Status, status_at = @now,
               failure_reason = CASE WHEN @Status = '{SendStatus.Failed.ToWireName()}' THEN @ErrorText ELSE failure_reason END,
               error_code = CASE WHEN @Status = '{SendStatus.Failed.ToWireName()}' THEN @ErrorCode ELSE error_code END,
               next_poll_at = CASE WHEN @Status IN ({WireNames.SqlList(SendStatus.Read, SendStatus.Failed)}) THEN NULL ELSE next_poll_at END,
               fallback_due_at = CASE WHEN @Status = '{SendStatus.Sent.ToWireName()}' THEN fallback_due_at END
        WHERE message_id = @MessageId AND {WireNames.SendStatusRankSql("delivery_status")} < @rank
        RETURNING id, verification_id, reason, channel, (SELECT v.service_id FROM verifications v WHERE v.id = sends.verification_id) AS service_id
        """;

    /// <summary>Moves the send with the receipt's message id to its status, if that is forward; the send, or null when it did not move.</summary>
    public static Task<ReceiptTarget?> ApplyAsync(WriteScope scope, Receipt receipt, long now) =>
        scope.Connection.QuerySingleOrDefaultAsync<ReceiptTarget>(ApplySql,
            new { receipt.Status, now, receipt.ErrorText, receipt.ErrorCode, receipt.MessageId, rank = WireNames.ParseSendStatus(receipt.Status).Rank() },
            scope.Transaction);

    /// <summary>The send with this message id, whatever its status; null when no send has it (yet).</summary>
    public static Task<ReceiptTarget?> FindSendAsync(WriteScope scope, string messageId) =>
        scope.Connection.QuerySingleOrDefaultAsync<ReceiptTarget>(
            "SELECT s.id, s.verification_id, s.reason, s.channel, v.service_id FROM sends s JOIN verifications v ON v.id = s.verification_id WHERE s.message_id = @messageId",
            new { messageId }, scope.Transaction);

    public static Task<long?> VerificationCreatedAtAsync(WriteScope scope, string verificationId) =>
        scope.Connection.ExecuteScalarAsync<long?>("SELECT created_at FROM verifications WHERE id = @verificationId", new { verificationId }, scope.Transaction);

    /// <summary>
    /// Takes up to <paramref name="max"/> due sends by moving their next poll forward (the backoff doubles), so other
    /// instances skip them; a send whose code expired is polled this last time.
    /// </summary>
    public static async Task<List<PollTarget>> ClaimDuePollsAsync(Database database, long now, long first, int max, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var claimed = (await scope.Connection.QueryAsync<PollTarget>($"""
            UPDATE sends
            SET polls = polls + 1,
                next_poll_at = CASE
                    WHEN (SELECT v.expires_at FROM verifications v WHERE v.id = sends.verification_id) <= @now THEN NULL
                    ELSE @now + @first * (CASE WHEN polls >= 3 THEN 8 ELSE polls * 2 + 1 END) END
            WHERE id IN (
                SELECT id FROM sends
                WHERE next_poll_at IS NOT NULL AND next_poll_at <= @now AND message_id IS NOT NULL
                  AND delivery_status IN ({PolledStatuses})
                ORDER BY next_poll_at LIMIT {max} {database.Dialect.ClaimLockSuffix})
            RETURNING id, message_id, channel
            """, new { now, first }, scope.Transaction)).ToList();
        await scope.CommitAsync(cancellationToken);
        return claimed;
    }

    // Delivered is polled on until read, so the funnel is whole with callbacks off; the code's lifetime bounds it.
    private static readonly string PolledStatuses = WireNames.SqlList(SendStatus.Accepted, SendStatus.Sent, SendStatus.Delivered);

    /// <summary>
    /// Past the cap, the oldest waiting receipts go first (by arrival). See <see cref="UnknownReceipts"/> for why.
    /// </summary>
    public static Task<int> TrimUnknownReceiptsAsync(WriteScope scope, int max) =>
        scope.Connection.ExecuteAsync(TrimUnknownSql, new { max }, scope.Transaction);

    public static Task<int> PurgeUnknownReceiptsAsync(WriteScope scope, long before) =>
        scope.Connection.ExecuteAsync(PurgeUnknownSql, new { before }, scope.Transaction);

    // Both statements read the small ix_delivery_receipts_unknown index (applied = 0), never every receipt kept.
    internal const string TrimUnknownSql = """
        DELETE FROM delivery_receipts
        WHERE applied = 0 AND (received_at, message_id, status) <= (
            SELECT received_at, message_id, status FROM delivery_receipts
            WHERE applied = 0
            ORDER BY received_at DESC, message_id DESC, status DESC
            LIMIT 1 OFFSET @max)
        """;

    internal const string PurgeUnknownSql = "DELETE FROM delivery_receipts WHERE applied = 0 AND received_at < @before";
}

/// <summary>A <c>delivery_receipts</c> row: one piece of delivery news, in wire names.</summary>
internal sealed class Receipt
{
    public string MessageId { get; set; } = "";
    public string Status { get; set; } = "";
    public long? OccurredAt { get; set; }
    public string? ErrorText { get; set; }
    public long? ErrorCode { get; set; }
    /// <summary>The failure's reason in the engine's terms (as its channel classified it); null for other news.</summary>
    public string? FailureReason { get; set; }
    /// <summary>1 when the channel said a later send may succeed.</summary>
    public long Temporary { get; set; }
}

/// <summary>The send a receipt moved.</summary>
internal sealed class ReceiptTarget
{
    public long Id { get; set; }
    public string VerificationId { get; set; } = "";
    public string Reason { get; set; } = "";

    /// <summary>The channel that carried the send.</summary>
    public string Channel { get; set; } = "";

    /// <summary>The service of the send's verification (read in the same statement): the metrics' label.</summary>
    public string ServiceId { get; set; } = "";
}

/// <summary>A send whose delivery is polled.</summary>
internal sealed class PollTarget
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string Channel { get; set; } = "";
}

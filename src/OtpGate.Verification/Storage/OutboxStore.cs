using Dapper;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;

namespace OtpGate.Verification.Storage;

/// <summary>The SQL of the <c>sends</c> table as a job queue: enqueue in the caller's transaction, claim with a lease.</summary>
internal static class OutboxStore
{
    /// <summary>Queues a send of the verification, through <paramref name="channel"/> or, when null, the channel the verification recorded.</summary>
    public static async Task<long> EnqueueAsync(WriteScope scope, string verificationId, SendReason reason, long dueAt, long now, string? channel = null)
    {
        var id = await scope.Connection.ExecuteScalarAsync<long>("""
            INSERT INTO sends (verification_id, seq, reason, job_state, due_at, delivery_status, created_at, channel)
            VALUES (@verificationId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sends WHERE verification_id = @verificationId),
                    @reason, 'queued', @dueAt, @queued, @now, COALESCE(@channel, (SELECT channel FROM verifications WHERE id = @verificationId)))
            RETURNING id
            """, new { verificationId, reason = reason.ToWireName(), dueAt, queued = SendStatus.Queued.ToWireName(), now, channel }, scope.Transaction);
        // No NOTIFY here: PostgreSQL serialises the commits of every notifying transaction (one lock, held through the
        // commit's flush to disk), which capped starts at one per flush. The commit wakes this instance's dispatcher in
        // process, and PostgresOutboxListener tells the other instances after it (docs/architecture.md, "Outbox").
        return id;
    }

    // Every query on queued and claimed jobs repeats the partial index's condition (job_state IN ('queued', 'claimed')):
    // SQLite uses a partial index only when the query's WHERE contains its condition, and otherwise scans every send.

    /// <summary>
    /// Claims due jobs, and jobs whose lease ran out (their instance died), for <paramref name="instance"/>, each with
    /// what sending it needs (read in the same transaction, so a batch of sends costs one round of statements).
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(Database database, string instance, int max, long now, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var jobs = await ClaimAsync(scope, instance, max, now, leaseUntil);
        await scope.CommitAsync(cancellationToken);
        return jobs;
    }

    /// <summary><see cref="ClaimAsync(Database, string, int, long, long, CancellationToken)"/> in the caller's transaction, which may read more before it commits.</summary>
    public static async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(WriteScope scope, string instance, int max, long now, long leaseUntil)
    {
        var jobs = (await scope.Connection.QueryAsync<ClaimedJob>(ClaimSql(scope.Dialect), new { instance, max, now, leaseUntil }, scope.Transaction)).ToList();
        if (jobs.Count > 0)
        {
            // The jobs just claimed are the ones with this instance's name and this lease: one fixed statement
            // whatever their number (an IN list would be a new statement, and a new Dapper mapper, per count).
            var contexts = (await scope.Connection.QueryAsync<JobContext>(ClaimedContextsSql, new { instance, leaseUntil }, scope.Transaction))
                .ToDictionary(c => c.Id, StringComparer.Ordinal);
            foreach (var job in jobs)
            {
                job.Context = contexts.GetValueOrDefault(job.VerificationId);
            }
        }

        return jobs;
    }

    internal static string ClaimSql(SqlDialect dialect) => $"""
        UPDATE sends SET job_state = 'claimed', locked_until = @leaseUntil, locked_by = @instance, tries = tries + 1
        WHERE id IN (
            SELECT id FROM sends
            WHERE job_state IN ('queued', 'claimed')
              AND ((job_state = 'queued' AND due_at <= @now) OR (job_state = 'claimed' AND locked_until <= @now))
            ORDER BY due_at
            LIMIT @max {dialect.ClaimLockSuffix})
        RETURNING id, verification_id, seq, reason, tries, channel
        """;

    internal const string ClaimedContextsSql = """
        SELECT id, service_id, phone, region, locale, status, expires_at, code_key_id, code_cipher, created_at FROM verifications
        WHERE id IN (SELECT verification_id FROM sends
                     WHERE job_state IN ('queued', 'claimed') AND job_state = 'claimed' AND locked_by = @instance AND locked_until = @leaseUntil)
        """;

    /// <summary>
    /// Extends the lease of <paramref name="instance"/>'s claims on the jobs in <paramref name="sendIds"/> (those it
    /// still has in flight); a claim another instance has taken over is left alone. Returns how many were extended.
    /// </summary>
    public static async Task<int> RenewLeasesAsync(Database database, string instance, IReadOnlyCollection<long> sendIds, long leaseUntil, CancellationToken cancellationToken)
    {
        // One fixed statement whatever the number of jobs (",12,15," matched against each claim's id): an IN list
        // would be a new statement per count, and fill SQLite's statement cache.
        var ids = "," + string.Join(',', sendIds) + ",";
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var renewed = await scope.Connection.ExecuteAsync(RenewLeasesSql, new { instance, ids, leaseUntil }, scope.Transaction);
        await scope.CommitAsync(cancellationToken);
        return renewed;
    }

    internal const string RenewLeasesSql = """
        UPDATE sends SET locked_until = @leaseUntil
        WHERE job_state IN ('queued', 'claimed') AND job_state = 'claimed' AND locked_by = @instance
          AND @ids LIKE '%,' || id || ',%'
        """;

    /// <summary>Makes every claimed job claimable now. Used at start-up on SQLite, where only one process runs: its old claims are dead.</summary>
    public static async Task<int> ReleaseAllClaimsAsync(Database database, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var released = await scope.Connection.ExecuteAsync(
            "UPDATE sends SET locked_until = 0 WHERE job_state = 'claimed'", transaction: scope.Transaction);
        await scope.CommitAsync(cancellationToken);
        return released;
    }

    public static Task FinishAsync(WriteScope scope, long sendId, string jobState, SendStatus status, string? failureReason, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE sends SET job_state = @jobState, delivery_status = @deliveryStatus, failure_reason = @failureReason,
                             locked_until = NULL, status_at = @now
            WHERE id = @sendId
            """, new { sendId, jobState, deliveryStatus = status.ToWireName(), failureReason, now }, scope.Transaction);

    // A status that came before the acceptance (it ranks higher) is kept.
    private static readonly string MarkAcceptedSql = $"""
        UPDATE sends SET job_state = 'done', locked_until = NULL, message_id = @messageId, accepted_at = @now,
                         delivery_status = CASE WHEN {WireNames.SendStatusRankSql("delivery_status")} < {SendStatus.Accepted.Rank()} THEN @accepted ELSE delivery_status END,
                         status_at = @now, next_poll_at = @pollAt,
                         fallback_due_at = CASE WHEN {WireNames.SendStatusRankSql("delivery_status")} < {SendStatus.Failed.Rank()} THEN @fallbackDueAt END
        WHERE id = @sendId
        """;

    /// <summary>
    /// Records the channel's acceptance; <paramref name="fallbackDueAt"/>, when given, is when the code goes by SMS if no
    /// delivered status came by then (not set when news that came before the acceptance already settled the send).
    /// </summary>
    public static Task MarkAcceptedAsync(WriteScope scope, long sendId, string messageId, long now, long pollAt, long? fallbackDueAt = null) =>
        scope.Connection.ExecuteAsync(MarkAcceptedSql, new { sendId, messageId, now, pollAt, fallbackDueAt, accepted = SendStatus.Accepted.ToWireName() }, scope.Transaction);

    /// <summary>
    /// Takes up to <paramref name="max"/> sends whose fallback deadline has passed, clearing it in the same statement
    /// (SKIP LOCKED on PostgreSQL), so of two dispatchers exactly one gets each; the caller falls back in the same
    /// transaction. Reads only the partial index <c>ix_sends_fallback_due</c>.
    /// </summary>
    public static async Task<List<DueFallback>> ClaimDueFallbacksAsync(WriteScope scope, long now, int max) =>
        (await scope.Connection.QueryAsync<DueFallback>(ClaimDueFallbacksSql(scope.Dialect), new { now, max }, scope.Transaction)).ToList();

    internal static string ClaimDueFallbacksSql(SqlDialect dialect) => $"""
        UPDATE sends SET fallback_due_at = NULL
        WHERE id IN (
            SELECT id FROM sends
            WHERE fallback_due_at IS NOT NULL AND fallback_due_at <= @now
            ORDER BY fallback_due_at
            LIMIT @max {dialect.ClaimLockSuffix})
        RETURNING id, verification_id, accepted_at
        """;

    /// <summary>Whether the verification has a send through <paramref name="channel"/> (whatever became of it).</summary>
    public static Task<bool> HasSendOnChannelAsync(WriteScope scope, string verificationId, string channel) =>
        scope.Connection.ExecuteScalarAsync<bool>(
            "SELECT COUNT(*) > 0 FROM sends WHERE verification_id = @verificationId AND channel = @channel", new { verificationId, channel }, scope.Transaction);

    public static Task MarkProviderQueuedAsync(WriteScope scope, long sendId, string jobId, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE sends SET job_state = 'done', locked_until = NULL, provider_job_id = @jobId, delivery_status = @status, status_at = @now
            WHERE id = @sendId
            """, new { sendId, jobId, now, status = SendStatus.ProviderQueued.ToWireName() }, scope.Transaction);

    public static Task RescheduleAsync(WriteScope scope, long sendId, long dueAt, string? lastError) =>
        scope.Connection.ExecuteAsync("""
            UPDATE sends SET job_state = 'queued', due_at = @dueAt, locked_until = NULL, failure_reason = @lastError
            WHERE id = @sendId
            """, new { sendId, dueAt, lastError }, scope.Transaction);

    /// <summary>True when another send of the verification may still reach the user (accepted, or possibly sent).</summary>
    public static Task<bool> HasLiveSendAsync(WriteScope scope, string verificationId, long exceptSendId) =>
        scope.Connection.ExecuteScalarAsync<bool>(HasLiveSendSql, new { verificationId, exceptSendId }, scope.Transaction);

    private static readonly string HasLiveSendSql = $"""
        SELECT COUNT(*) > 0 FROM sends
        WHERE verification_id = @verificationId AND id <> @exceptSendId
          AND (delivery_status IN ({WireNames.SqlList(SendStatus.Accepted, SendStatus.ProviderQueued, SendStatus.Unknown, SendStatus.Sent, SendStatus.Delivered, SendStatus.Read)})
               OR job_state IN ('queued', 'claimed'))
        """;

    public static Task<int> CancelQueuedAsync(WriteScope scope, string verificationId, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE sends SET job_state = 'canceled', locked_until = NULL, status_at = @now
            WHERE verification_id = @verificationId AND job_state = 'queued'
            """, new { verificationId, now }, scope.Transaction);
}

/// <summary>A send whose fallback deadline passed: its verification, and when its channel accepted it.</summary>
internal sealed class DueFallback
{
    public long Id { get; set; }
    public string VerificationId { get; set; } = "";
    public long? AcceptedAt { get; set; }
}

internal sealed class ClaimedJob
{
    public long Id { get; set; }
    public string VerificationId { get; set; } = "";
    public long Seq { get; set; }
    public string Reason { get; set; } = "";
    public long Tries { get; set; }

    /// <summary>The name of the channel the send goes out through.</summary>
    public string Channel { get; set; } = "";

    /// <summary>The verification as it was when the job was claimed; null when it is gone.</summary>
    public JobContext? Context { get; set; }
}

internal sealed class JobContext
{
    public string Id { get; set; } = "";

    /// <summary>The verification's service: its rules govern the send, and its name labels the metrics.</summary>
    public string ServiceId { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Region { get; set; } = "";
    public string Locale { get; set; } = "";
    public string Status { get; set; } = "";
    public long ExpiresAt { get; set; }
    public string? CodeKeyId { get; set; }
    public byte[]? CodeCipher { get; set; }
    public long CreatedAt { get; set; }
}

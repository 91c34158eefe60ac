using System.Data.Common;
using Dapper;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Storage;

/// <summary>The SQL of the <c>verifications</c> table and its timeline. Check-and-change happens in single statements.</summary>
internal static class VerificationStore
{
    private const string Columns = """
        id, owner, phone, region, purpose, locale, client_ref, client_ip, metadata, is_test, status, failure_reason,
        code_key_id, code_mac, code_cipher, expires_at, attempts, max_attempts, send_count, next_resend_at,
        created_at, updated_at, ended_at, fresh_code, channel, service_id
        """;

    public static Task InsertAsync(WriteScope scope, VerificationRow row) => scope.Connection.ExecuteAsync($"""
        INSERT INTO verifications ({Columns})
        VALUES (@Id, @Owner, @Phone, @Region, @Purpose, @Locale, @ClientRef, @ClientIp, @Metadata, @IsTest, @Status, @FailureReason,
                @CodeKeyId, @CodeMac, @CodeCipher, @ExpiresAt, @Attempts, @MaxAttempts, @SendCount, @NextResendAt,
                @CreatedAt, @UpdatedAt, @EndedAt, @FreshCode, @Channel, @ServiceId)
        """, row, scope.Transaction);

    public static Task<VerificationRow?> FindAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<VerificationRow>($"SELECT {Columns} FROM verifications WHERE id = @id", new { id }, transaction);

    /// <summary>Reads a verification the transaction is about to change, whoever owns it, locking its row where the database has row locks.</summary>
    public static Task<VerificationRow?> FindForUpdateAsync(WriteScope scope, string id) =>
        scope.Connection.QuerySingleOrDefaultAsync<VerificationRow>($"SELECT {Columns} FROM verifications WHERE id = @id {scope.Dialect.RowLockSuffix}", new { id }, scope.Transaction);

    /// <summary>The verification if <paramref name="owner"/> owns it; null when it does not exist or belongs to someone else (the same answer).</summary>
    public static Task<VerificationRow?> FindOwnedAsync(DbConnection connection, VerificationOwner owner, string id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<VerificationRow>(
            $"SELECT {Columns} FROM verifications WHERE id = @id AND owner = @owner AND service_id = @service", new { id, owner = owner.Value, service = owner.Service }, transaction);

    /// <summary>Reads an owned verification the transaction is about to change, locking its row where the database has row locks.</summary>
    public static Task<VerificationRow?> FindForUpdateAsync(WriteScope scope, VerificationOwner owner, string id) =>
        scope.Connection.QuerySingleOrDefaultAsync<VerificationRow>(
            $"SELECT {Columns} FROM verifications WHERE id = @id AND owner = @owner AND service_id = @service {scope.Dialect.RowLockSuffix}", new { id, owner = owner.Value, service = owner.Service }, scope.Transaction);

    public static Task<string?> FindPhoneAsync(WriteScope scope, VerificationOwner owner, string id) =>
        scope.Connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT phone FROM verifications WHERE id = @id AND owner = @owner AND service_id = @service", new { id, owner = owner.Value, service = owner.Service }, scope.Transaction);

    /// <summary>The owner's live verification for a phone and purpose; another owner's never counts.</summary>
    public static Task<VerificationRow?> FindPendingAsync(WriteScope scope, VerificationOwner owner, string phone, string purpose) =>
        scope.Connection.QuerySingleOrDefaultAsync<VerificationRow>(
            $"SELECT {Columns} FROM verifications WHERE owner = @owner AND service_id = @service AND phone = @phone AND purpose = @purpose AND status = 'pending'",
            new { owner = owner.Value, service = owner.Service, phone, purpose }, scope.Transaction);

    /// <summary>The id of the owner's pending verification for the phone and purpose, read outside a write; null when none.</summary>
    public static Task<string?> FindPendingIdAsync(DbConnection connection, VerificationOwner owner, string phone, string purpose) =>
        connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT id FROM verifications WHERE owner = @owner AND service_id = @service AND phone = @phone AND purpose = @purpose AND status = 'pending'",
            new { owner = owner.Value, service = owner.Service, phone, purpose });

    /// <summary>
    /// The owner's latest verification for the phone and purpose, whatever its status, read outside a write; null when
    /// none. Asked only when no pending one matched (a check by phone), so it needs no index of its own.
    /// </summary>
    public static Task<VerificationRow?> FindLatestAsync(DbConnection connection, VerificationOwner owner, string phone, string purpose) =>
        connection.QueryFirstOrDefaultAsync<VerificationRow>(
            $"SELECT {Columns} FROM verifications WHERE owner = @owner AND service_id = @service AND phone = @phone AND purpose = @purpose ORDER BY created_at DESC, id DESC LIMIT 1",
            new { owner = owner.Value, service = owner.Service, phone, purpose });

    /// <summary>
    /// Ends a pending verification with a terminal status and erases its code material, unless <paramref name="keepCode"/>
    /// (a delivery failure: another device may still get the code, until its expiry). Returns its service (for the
    /// metrics, from the same statement); null when it was no longer pending.
    /// </summary>
    public static Task<string?> EndAsync(WriteScope scope, string id, string status, string? reason, long now, bool keepCode = false) =>
        scope.Connection.QuerySingleOrDefaultAsync<string?>("""
            UPDATE verifications
            SET status = @status, failure_reason = COALESCE(@reason, failure_reason), ended_at = @now, updated_at = @now,
                code_mac = CASE WHEN @keepCode = 1 THEN code_mac END, code_cipher = CASE WHEN @keepCode = 1 THEN code_cipher END
            WHERE id = @id AND status = 'pending'
            RETURNING service_id
            """, new { id, status, reason, now, keepCode = keepCode ? 1 : 0 }, scope.Transaction);

    /// <summary>
    /// Makes a verification that failed on a delivery failure pending again, in one statement, if its code was kept and
    /// is still alive, no later resend (a send with reason <c>resend</c> after <paramref name="deliveredSendId"/>) replaced
    /// the delivered message, and its owner has no other pending verification for the phone and purpose. False otherwise.
    /// </summary>
    public static async Task<bool> ReviveAsync(WriteScope scope, string id, long deliveredSendId, long now)
    {
        if (scope.Dialect.AdvisoryLocks)
        {
            // Where instances write at once, a start for the same phone could commit a new pending verification between
            // this statement's check and its write, and the live index would refuse the callback's whole transaction.
            // Taking the phone's turn as starts do closes that gap; only failed verifications holding a code pay for it.
            var phone = await scope.Connection.QuerySingleOrDefaultAsync<string>(
                "SELECT phone FROM verifications WHERE id = @id AND status = 'failed' AND code_mac IS NOT NULL",
                new { id }, scope.Transaction);
            if (phone is null)
            {
                return false;
            }

            await LimitStore.LockAsync(scope, LimitScopes.PhoneTurn(phone));
        }

        return await scope.Connection.ExecuteAsync($"""
            UPDATE verifications
            SET status = 'pending', failure_reason = NULL, ended_at = NULL, updated_at = @now
            WHERE id = @id AND status = 'failed' AND code_mac IS NOT NULL AND expires_at > @now
              AND NOT EXISTS (SELECT 1 FROM sends s
                              WHERE s.verification_id = verifications.id AND s.id > @deliveredSendId AND s.reason = '{SendReason.Resend.ToWireName()}')
              AND NOT EXISTS (SELECT 1 FROM verifications o
                              WHERE o.owner = verifications.owner AND o.phone = verifications.phone AND o.purpose = verifications.purpose
                                AND o.status = 'pending')
            """, new { id, deliveredSendId, now }, scope.Transaction) == 1;
    }

    /// <summary>Erases the code material a delivery failure kept, once its lifetime is over (it can no longer be revived).</summary>
    public static Task<int> EraseLapsedCodesAsync(WriteScope scope, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE verifications SET code_mac = NULL, code_cipher = NULL
            WHERE status = 'failed' AND code_mac IS NOT NULL AND expires_at <= @now
            """, new { now }, scope.Transaction);

    /// <summary>
    /// Sets <c>expired</c>, erasing code material, on every pending verification whose code has expired (only those of
    /// one phone and purpose, when given), in one statement. Returns their ids and services; <see cref="Lifecycle.ExpireDueAsync"/> does the rest of ending them.
    /// </summary>
    public static async Task<List<ExpiredVerification>> ExpireDueAsync(WriteScope scope, long now, string? phone = null, string? purpose = null)
    {
        var only = phone is null ? "" : "AND phone = @phone AND purpose = @purpose";
        return (await scope.Connection.QueryAsync<ExpiredVerification>($"""
            UPDATE verifications SET status = 'expired', ended_at = @now, updated_at = @now, code_mac = NULL, code_cipher = NULL
            WHERE status = 'pending' AND expires_at <= @now {only}
            RETURNING id, service_id
            """, new { now, phone, purpose }, scope.Transaction)).ToList();
    }

    /// <summary>
    /// Takes an attempt, in one statement, if the verification is still pending, unexpired and has attempts left; with
    /// <paramref name="freshCodeOnly"/>, only if its last code sent has not been compared yet. Any attempt uses up that
    /// fresh comparison. Returns the attempts taken so far, or null when none could be taken.
    /// </summary>
    public static Task<long?> TakeAttemptAsync(WriteScope scope, string id, long now, bool freshCodeOnly) =>
        scope.Connection.QuerySingleOrDefaultAsync<long?>("""
            UPDATE verifications
            SET attempts = attempts + 1, fresh_code = 0, updated_at = @now
            WHERE id = @id AND status = 'pending' AND attempts < max_attempts AND expires_at > @now
              AND (@freshCodeOnly = 0 OR fresh_code = 1)
            RETURNING attempts
            """, new { id, now, freshCodeOnly = freshCodeOnly ? 1 : 0 }, scope.Transaction);

    public static Task UpdateCodeAsync(WriteScope scope, string id, string keyId, byte[] mac, byte[] cipher, long expiresAt, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE verifications SET code_key_id = @keyId, code_mac = @mac, code_cipher = @cipher, expires_at = @expiresAt, updated_at = @now
            WHERE id = @id AND status = 'pending'
            """, new { id, keyId, mac, cipher, expiresAt, now }, scope.Transaction);

    /// <summary>Counts a resend; the code sent is fresh again (its first comparison is always made).</summary>
    public static Task<int> RecordSendAsync(WriteScope scope, string id, long nextResendAt, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE verifications SET send_count = send_count + 1, next_resend_at = @nextResendAt, fresh_code = 1, updated_at = @now
            WHERE id = @id AND status = 'pending'
            """, new { id, nextResendAt, now }, scope.Transaction);

    /// <summary>Records a state change on the timeline. Every change goes through here, so it also tells watchers.</summary>
    public static Task AddEventAsync(WriteScope scope, string verificationId, long? sendId, string kind, string? status, string? detail, long now)
    {
        scope.MarkChanged(verificationId);
        return scope.Connection.ExecuteAsync("""
            INSERT INTO verification_events (verification_id, send_id, at, kind, status, detail)
            VALUES (@verificationId, @sendId, @now, @kind, @status, @detail)
            """, new { verificationId, sendId, now, kind, status, detail }, scope.Transaction);
    }

    public static Task<IEnumerable<SendRow>> GetSendsAsync(DbConnection connection, string verificationId, DbTransaction? transaction = null) =>
        connection.QueryAsync<SendRow>("""
            SELECT id, verification_id, seq, reason, channel, job_state, due_at, tries, delivery_status, message_id, failure_reason, error_code,
                   created_at, accepted_at, status_at
            FROM sends WHERE verification_id = @verificationId ORDER BY seq, id
            """, new { verificationId }, transaction);

    public static Task<IEnumerable<EventRow>> GetEventsAsync(DbConnection connection, string verificationId, DbTransaction? transaction = null) =>
        connection.QueryAsync<EventRow>("""
            SELECT e.id, e.send_id, e.at, e.kind, e.status, e.detail, s.seq
            FROM verification_events e LEFT JOIN sends s ON s.id = e.send_id
            WHERE e.verification_id = @verificationId ORDER BY e.id
            """, new { verificationId }, transaction);
}

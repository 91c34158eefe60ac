using Dapper;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Storage;

/// <summary>The SQL of the <c>idempotency_keys</c> table: one row per owner and key digest (the policy is <see cref="IdempotencyKeys"/>).</summary>
internal static class IdempotencyStore
{
    /// <summary>The verification and request digest stored for the key since <paramref name="since"/>; null when there is none.</summary>
    public static Task<IdempotencyKeys.Earlier?> FindAsync(WriteScope scope, VerificationOwner owner, string keyHash, long since) =>
        scope.Connection.QuerySingleOrDefaultAsync<IdempotencyKeys.Earlier>("""
            SELECT verification_id AS VerificationId, request_hash AS RequestHash FROM idempotency_keys
            WHERE owner = @owner AND key_hash = @keyHash AND created_at > @since
            """, new { owner = Stored(owner), keyHash, since }, scope.Transaction);

    /// <summary>Stores the key for the verification; an expired row of the same key may still be there (purged later), so it is replaced.</summary>
    public static Task RememberAsync(WriteScope scope, VerificationOwner owner, string keyHash, string requestHash, string verificationId, long now) =>
        scope.Connection.ExecuteAsync("""
            INSERT INTO idempotency_keys (owner, key_hash, request_hash, verification_id, created_at)
            VALUES (@owner, @keyHash, @requestHash, @verificationId, @now)
            ON CONFLICT (owner, key_hash) DO UPDATE
            SET request_hash = excluded.request_hash, verification_id = excluded.verification_id, created_at = excluded.created_at
            """, new { owner = Stored(owner), keyHash, requestHash, verificationId, now }, scope.Transaction);

    /// <summary>
    /// The owner as this table stores it: qualified by its service unless that is the default one (so rows from before
    /// services read the same), and a key used in one service is never found, nor reported reused, in another.
    /// </summary>
    private static string Stored(VerificationOwner owner) =>
        owner.Service == Services.Service.DefaultId ? owner.Value : owner.Service + "/" + owner.Value;

    /// <summary>Deletes keys stored before <paramref name="createdBefore"/>; returns how many.</summary>
    public static Task<int> PurgeAsync(WriteScope scope, long createdBefore) =>
        scope.Connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < @createdBefore", new { createdBefore }, scope.Transaction);
}

using System.Security.Cryptography;
using System.Text;
using Dapper;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// <c>Idempotency-Key</c>s, as payment APIs keep them: scoped to the owner that sent them (another owner's identical key
/// is another key) and bound to the request they came with, so a retry returns the first answer and the same key with a
/// different request is refused instead of silently answering for the first one. Kept as SHA-256 digests only.
/// </summary>
internal static class IdempotencyKeys
{
    public sealed record Key(VerificationOwner Owner, string Value, string RequestHash)
    {
        public string Hash { get; } = Digest(Value);

        /// <summary>The lock that makes requests with this key take turns (on every instance).</summary>
        public string LockScope => "idempotency:" + Owner.Value + ":" + Hash;
    }

    public sealed record Earlier(string VerificationId, string RequestHash);

    /// <summary>A digest of what a start asks for, after normalisation: the same number typed two ways is the same request.</summary>
    public static string HashRequest(string phone, string purpose, string locale, string? clientRef, string? clientIp, IReadOnlyDictionary<string, string>? metadata)
    {
        var text = new StringBuilder();
        foreach (var field in new[] { phone, purpose, locale, clientRef, clientIp })
        {
            Append(text, field);
        }

        foreach (var (name, value) in (metadata ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Append(text, name);
            Append(text, value);
        }

        return Digest(text.ToString());

        // Length-prefixed, so no two different requests share a text.
        static void Append(StringBuilder text, string? value) =>
            text.Append(value is null ? "-1" : value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
    }

    public static Task<Earlier?> FindAsync(WriteScope scope, Key key, long since) =>
        scope.Connection.QuerySingleOrDefaultAsync<Earlier>("""
            SELECT verification_id AS VerificationId, request_hash AS RequestHash FROM idempotency_keys
            WHERE owner = @owner AND key_hash = @hash AND created_at > @since
            """, new { owner = key.Owner.Value, hash = key.Hash, since }, scope.Transaction);

    public static async Task RememberAsync(WriteScope scope, Key? key, string verificationId, long now)
    {
        if (key is null)
        {
            return;
        }

        // An expired key row may still be there (purged later): replace it.
        await scope.Connection.ExecuteAsync("""
            INSERT INTO idempotency_keys (owner, key_hash, request_hash, verification_id, created_at)
            VALUES (@owner, @hash, @requestHash, @verificationId, @now)
            ON CONFLICT (owner, key_hash) DO UPDATE
            SET request_hash = excluded.request_hash, verification_id = excluded.verification_id, created_at = excluded.created_at
            """, new { owner = key.Owner.Value, hash = key.Hash, requestHash = key.RequestHash, verificationId, now }, scope.Transaction);
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

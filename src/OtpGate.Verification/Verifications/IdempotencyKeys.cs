using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// A digest of what a start asks for, after normalisation: the same number typed two ways is the same request. A
    /// channel other than the default (<paramref name="otherChannel"/>, e.g. <c>sms</c>) is part of it; the default adds
    /// nothing, so keys stored before channels existed still match their retries.
    /// </summary>
    public static string HashRequest(string phone, string purpose, string locale, string? clientRef, string? clientIp, IReadOnlyDictionary<string, string>? metadata, string? otherChannel = null)
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

        if (otherChannel is not null)
        {
            Append(text, "channel");
            Append(text, otherChannel);
        }

        return Digest(text.ToString());

        // Length-prefixed, so no two different requests share a text.
        static void Append(StringBuilder text, string? value) =>
            text.Append(value is null ? "-1" : value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
    }

    public static Task<Earlier?> FindAsync(WriteScope scope, Key key, long since) => IdempotencyStore.FindAsync(scope, key.Owner, key.Hash, since);

    public static Task RememberAsync(WriteScope scope, Key? key, string verificationId, long now) =>
        key is null ? Task.CompletedTask : IdempotencyStore.RememberAsync(scope, key.Owner, key.Hash, key.RequestHash, verificationId, now);

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

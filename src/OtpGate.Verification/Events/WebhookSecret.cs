using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Verification.Events;

/// <summary>
/// Standard Webhooks' secrets and signatures: a secret is <c>whsec_</c> and the base64 of its key; a signature is
/// <c>v1,</c> and the base64 of HMAC-SHA256 over <c>id.timestamp.body</c>. Checked against the specification's test
/// vector and the independent <c>StandardWebhooks</c> package in the tests.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>A new secret of 32 random bytes.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key of a well-formed secret (24 to 64 bytes, as the specification allows); null otherwise.</summary>
    public static byte[]? TryParseKey(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = new byte[64];
        return Convert.TryFromBase64String(secret[Prefix.Length..], key, out var length) && length is >= 24 and <= 64 ? key[..length] : null;
    }

    /// <summary>The <c>v1,</c> signature of one message.</summary>
    public static string Sign(byte[] key, string messageId, long timestampSeconds, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestampSeconds}.{body}")));
}

using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Verification.Codes;

/// <summary>
/// The keys derived from the server secret (current first, then previous ones). Each key set has a short id
/// that is stored next to what it protected, so codes issued before a rotation still verify.
/// </summary>
public sealed class SecretRing
{
    public const int MinimumSecretLength = 32;

    private readonly Dictionary<string, CodeKeys> _byId;

    public SecretRing(string currentSecret, IEnumerable<string>? previousSecrets = null)
    {
        Current = Derive(currentSecret);
        _byId = new Dictionary<string, CodeKeys>(StringComparer.Ordinal) { [Current.Id] = Current };
        foreach (var previous in previousSecrets ?? [])
        {
            var keys = Derive(previous);
            _byId.TryAdd(keys.Id, keys);
        }
    }

    /// <summary>The keys new codes are protected with.</summary>
    public CodeKeys Current { get; }

    /// <summary>Finds the keys a stored value was protected with; null when that secret is no longer configured.</summary>
    public CodeKeys? Find(string keyId) => _byId.GetValueOrDefault(keyId);

    /// <summary>A new random secret: 32 bytes, base64.</summary>
    public static string GenerateSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static CodeKeys Derive(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"Security:Secret must be at least {MinimumSecretLength} characters of random text; generate one with `openssl rand -base64 32`.", nameof(secret));
        }

        var ikm = Encoding.UTF8.GetBytes(secret);
        var id = Convert.ToHexStringLower(HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 4, info: "otpgate/key-id/v1"u8.ToArray()));
        var mac = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, info: "otpgate/code-mac/v1"u8.ToArray());
        var encryption = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, info: "otpgate/code-encryption/v1"u8.ToArray());
        CryptographicOperations.ZeroMemory(ikm);
        return new CodeKeys(id, mac, encryption);
    }
}

/// <summary>One secret's derived keys. Never logged: <see cref="ToString"/> shows the id only.</summary>
public sealed class CodeKeys(string id, byte[] macKey, byte[] encryptionKey)
{
    public string Id { get; } = id;

    internal byte[] MacKey { get; } = macKey;

    internal byte[] EncryptionKey { get; } = encryptionKey;

    public override string ToString() => $"CodeKeys {{ Id = {Id} }}";
}

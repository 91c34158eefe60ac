using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Verification.Codes;

/// <summary>
/// Generates codes and protects them: HMAC-SHA256 over (verification id, code) for checking, compared in
/// constant time; AES-GCM with the verification id as associated data for the copy needed to (re)send.
/// The code is bound to its verification: a code of one verification never matches another.
/// </summary>
public sealed class CodeProtector(SecretRing ring)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>A uniformly random code of <paramref name="length"/> digits (leading zeros kept).</summary>
    public static string Generate(int length)
    {
        Span<char> digits = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(0, 10));
        }

        return new string(digits);
    }

    public ProtectedCode Protect(string verificationId, string code)
    {
        var keys = ring.Current;
        return new ProtectedCode(keys.Id, Mac(keys, verificationId, code), Encrypt(keys, verificationId, code));
    }

    /// <summary>True when <paramref name="candidate"/> is the code the MAC was made from. Takes the same time for any wrong code.</summary>
    public bool Matches(string verificationId, string candidate, string keyId, byte[] storedMac)
    {
        var keys = ring.Find(keyId);
        if (keys is null)
        {
            return false;
        }

        var mac = Mac(keys, verificationId, candidate);
        return CryptographicOperations.FixedTimeEquals(mac, storedMac);
    }

    /// <summary>Decrypts the stored copy of a code; throws <see cref="CryptographicException"/> if it was tampered with or its key is gone.</summary>
    public string Unprotect(string verificationId, string keyId, byte[] cipher)
    {
        var keys = ring.Find(keyId) ?? throw new CryptographicException("The secret this code was encrypted under is no longer configured.");
        var nonce = cipher.AsSpan(0, NonceSize);
        var tag = cipher.AsSpan(NonceSize, TagSize);
        var encrypted = cipher.AsSpan(NonceSize + TagSize);
        var plain = new byte[encrypted.Length];
        using var aes = new AesGcm(keys.EncryptionKey, TagSize);
        aes.Decrypt(nonce, encrypted, tag, plain, Encoding.UTF8.GetBytes(verificationId));
        return Encoding.ASCII.GetString(plain);
    }

    private static byte[] Mac(CodeKeys keys, string verificationId, string code)
    {
        // id and code are joined with a separator that neither contains, so (id, code) pairs cannot collide.
        var message = Encoding.UTF8.GetBytes(verificationId + "\n" + code);
        return HMACSHA256.HashData(keys.MacKey, message);
    }

    private static byte[] Encrypt(CodeKeys keys, string verificationId, string code)
    {
        var plain = Encoding.ASCII.GetBytes(code);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(verificationId));
        return output;
    }
}

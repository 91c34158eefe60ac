namespace OtpGate.Verification.Codes;

/// <summary>What is stored for a code: its HMAC (to check it) and its AES-GCM ciphertext (to resend it), with the key id.</summary>
public sealed record ProtectedCode(string KeyId, byte[] Mac, byte[] Cipher);

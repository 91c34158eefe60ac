namespace OtpGate.Verification.Verifications;

/// <summary>
/// Who started a verification, and so the only one who may read, check, resend or cancel it: an API key, a sign-up
/// session. To anyone else the verification does not exist (the same answer as for an id that was never issued), and
/// a pending verification is reused only for its own owner. A type of its own so an owner is never passed as an id.
/// </summary>
public readonly record struct VerificationOwner
{
    public const int MaxLength = 128;

    public VerificationOwner(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        Value = value;
    }

    /// <summary>What is stored in the <c>owner</c> column.</summary>
    public string Value { get; }

    /// <summary>The owner of verifications started with an API key (by its configured name).</summary>
    public static VerificationOwner ApiKey(string keyName) => new("key:" + keyName);

    public override string ToString() => Value;
}

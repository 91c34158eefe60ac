using OtpGate.Verification.Services;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// Who started a verification, and so the only one who may read, check, resend or cancel it: an API key, a sign-up
/// session, always within a service (<see cref="Service"/>), whose settings its verifications use. To anyone else,
/// including the same name in another service, the verification does not exist (the same answer as for an id that was
/// never issued), and a pending verification is reused only for its own owner. A type of its own so an owner is never
/// passed as an id.
/// </summary>
public readonly record struct VerificationOwner
{
    public const int MaxLength = 128;

    public VerificationOwner(string value, string service = Services.Service.DefaultId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, MaxLength);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        Value = value;
        _service = service;
    }

    /// <summary>What is stored in the <c>owner</c> column.</summary>
    public string Value { get; }

    /// <summary>The service the owner acts in: what is stored in the <c>service_id</c> column, and whose settings apply.</summary>
    public string Service => _service ?? Services.Service.DefaultId;

    private readonly string? _service;

    /// <summary>The owner of verifications started with an API key (by its configured name), in the key's service.</summary>
    public static VerificationOwner ApiKey(string keyName, string service = Services.Service.DefaultId) => new("key:" + keyName, service);

    public override string ToString() => Value;
}

namespace OtpGate.Verification.Codes;

/// <summary>
/// The server secret that keys code MACs and code encryption, bound from the <c>Security</c> section.
/// When <see cref="Secret"/> is empty a secret is generated once into the data directory.
/// </summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>At least 32 characters of high-entropy text (e.g. <c>openssl rand -base64 32</c>).</summary>
    public string? Secret { get; set; }

    /// <summary>Earlier secrets, still accepted when checking codes issued under them, so a secret can rotate.</summary>
    public List<string> PreviousSecrets { get; set; } = [];

    public override string ToString() => $"SecurityOptions {{ Secret = {(string.IsNullOrEmpty(Secret) ? "(generated)" : "***")}, PreviousSecrets = {PreviousSecrets.Count} }}";
}

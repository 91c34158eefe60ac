using System.Security.Cryptography;
using OtpGate.Server.Hosting;

namespace OtpGate.Server.Webhooks;

/// <summary>
/// The secret path segment of <c>/webhooks/1msg/{secret}</c>: <c>OneMsg:WebhookSecret</c>, or 256 random bits generated
/// once into <c>webhook-secret.key</c> in the data directory. Compared in constant time.
/// </summary>
internal sealed class WebhookSecret
{
    public const string FileName = "webhook-secret.key";

    private readonly byte[] _hash;

    private WebhookSecret(string value, string? file, bool generated)
    {
        Value = value;
        File = file;
        Generated = generated;
        _hash = SecretFile.Hash(value);
    }

    /// <summary>The secret itself: only for building the URL registered with 1MSG. Never logged.</summary>
    public string Value { get; }

    /// <summary>Where the generated secret is kept; null when configured.</summary>
    public string? File { get; }

    public bool Generated { get; }

    public static WebhookSecret Load(WebhookOptions options, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            return new WebhookSecret(options.WebhookSecret.Trim(), null, generated: false);
        }

        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var value = SecretFile.ReadOrCreate(path, () => SecretFile.RandomToken(32), out var created);
        return new WebhookSecret(value, path, created);
    }

    /// <summary>Compares digests, so neither the content nor the length of the secret leaks through timing.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(SecretFile.Hash(candidate), _hash);

    public override string ToString() => "WebhookSecret { *** }";
}

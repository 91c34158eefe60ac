using System.Security.Cryptography;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Services;

namespace OtpGate.Server.Api;

/// <summary>
/// The API keys, kept only as SHA-256 digests and compared in constant time. Keys come from <c>Api:Keys:&lt;name&gt;</c>;
/// when none is configured a development key is generated once, printed once, and only its digest is stored in
/// <c>api-key.sha256</c> in the data directory (delete that file and restart to get a new one).
/// </summary>
internal sealed class ApiKeyStore
{
    /// <summary>Who presented a key: its name, the service it acts in (null for an admin key), and whether it is an admin key.</summary>
    public sealed record Identity(string Name, string? Service)
    {
        public bool IsAdmin => Service is null;
    }

    public const string DevelopmentKeyName = "development";
    public const string DevelopmentKeyFileName = "api-key.sha256";

    private readonly (Identity Who, byte[] Hash)[] _keys;
    private string? _generatedKey;

    private ApiKeyStore((Identity Who, byte[] Hash)[] keys, string? developmentKeyFile, string? generatedKey)
    {
        _keys = keys;
        DevelopmentKeyFile = developmentKeyFile;
        _generatedKey = generatedKey;
    }

    /// <summary>Where the development key's digest is kept; null when keys are configured.</summary>
    public string? DevelopmentKeyFile { get; }

    public IEnumerable<string> Names => _keys.Select(k => k.Who.Name);

    public static ApiKeyStore Load(ApiOptions options, string dataDirectory)
    {
        if (options.HasKeys)
        {
            return new ApiKeyStore(
            [
                .. options.Keys.Select(pair => (new Identity(pair.Key, Service.DefaultId), SecretFile.Hash(pair.Value.Trim()))),
                .. options.ServiceKeys.Select(pair => (new Identity(pair.Key, pair.Value.Service), SecretFile.Hash(pair.Value.Key.Trim()))),
                .. options.AdminKeys.Select(pair => (new Identity(pair.Key, (string?)null), SecretFile.Hash(pair.Value.Trim()))),
            ], null, null);
        }

        var path = Path.GetFullPath(Path.Combine(dataDirectory, DevelopmentKeyFileName));
        string? generated = null;
        var digest = SecretFile.ReadOrCreate(path, () =>
        {
            generated = "otpg_dev_" + SecretFile.RandomToken(24);
            return Convert.ToHexStringLower(SecretFile.Hash(generated));
        }, out var created);
        if (digest.Length != 64 || !digest.All(char.IsAsciiHexDigit))
        {
            throw new InvalidOperationException($"{path} does not hold a SHA-256 digest; delete it and restart to generate a new development API key.");
        }

        return new ApiKeyStore([(new Identity(DevelopmentKeyName, Service.DefaultId), Convert.FromHexString(digest))], path, created ? generated : null);
    }

    /// <summary>Who presented the key, or null. Every configured key is compared, so the time does not depend on which matched.</summary>
    public Identity? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return null;
        }

        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented));
        Identity? found = null;
        foreach (var (who, keyHash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found ??= who;
            }
        }

        return found;
    }

    /// <summary>The development key generated on this start, once (for the start-up banner); null afterwards.</summary>
    public string? TakeGeneratedKey() => Interlocked.Exchange(ref _generatedKey, null);
}

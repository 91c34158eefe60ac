using System.Security.Cryptography;
using OtpGate.Server.Hosting;

namespace OtpGate.Server.Api;

/// <summary>
/// The API keys, kept only as SHA-256 digests and compared in constant time. Keys come from <c>Api:Keys:&lt;name&gt;</c>;
/// when none is configured a development key is generated once, printed once, and only its digest is stored in
/// <c>api-key.sha256</c> in the data directory (delete that file and restart to get a new one).
/// </summary>
internal sealed class ApiKeyStore
{
    public const string DevelopmentKeyName = "development";
    public const string DevelopmentKeyFileName = "api-key.sha256";

    private readonly (string Name, byte[] Hash)[] _keys;
    private string? _generatedKey;

    private ApiKeyStore((string Name, byte[] Hash)[] keys, string? developmentKeyFile, string? generatedKey)
    {
        _keys = keys;
        DevelopmentKeyFile = developmentKeyFile;
        _generatedKey = generatedKey;
    }

    /// <summary>Where the development key's digest is kept; null when keys are configured.</summary>
    public string? DevelopmentKeyFile { get; }

    public IEnumerable<string> Names => _keys.Select(k => k.Name);

    public static ApiKeyStore Load(ApiOptions options, string dataDirectory)
    {
        if (options.Keys.Count > 0)
        {
            return new ApiKeyStore([.. options.Keys.Select(pair => (pair.Key, SecretFile.Hash(pair.Value.Trim())))], null, null);
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

        return new ApiKeyStore([(DevelopmentKeyName, Convert.FromHexString(digest))], path, created ? generated : null);
    }

    /// <summary>The name of the key presented, or null. Every configured key is compared, so the time does not depend on which matched.</summary>
    public string? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return null;
        }

        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented));
        string? found = null;
        foreach (var (name, keyHash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found ??= name;
            }
        }

        return found;
    }

    /// <summary>The development key generated on this start, once (for the start-up banner); null afterwards.</summary>
    public string? TakeGeneratedKey() => Interlocked.Exchange(ref _generatedKey, null);
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace OtpGate.Verification.Services;

/// <summary>
/// A service: its name (<see cref="Id"/>, as in <c>Services:&lt;name&gt;</c> and <c>/v1/services/{id}</c>), the
/// Twilio-shaped <see cref="Sid"/>, a friendly name and its settings. <see cref="Version"/> grows with every change.
/// </summary>
public sealed partial record Service(
    string Id, string Sid, string FriendlyName, ServiceSettings Settings, ServiceSource Source, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The service today's <c>Verification</c> settings configure, and the one plain API keys and sign-up sessions use.</summary>
    public const string DefaultId = "default";

    public const int MaxFriendlyNameLength = 64;

    /// <summary>Lower-case letters, digits, '-' and '_', starting with a letter or digit, up to 64: safe in URLs, keys and metric labels.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>"VA" and 32 lower-case hex digits, as Twilio's service sids; random, fixed when the service is created.</summary>
    public static string NewSid() => "VA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Where the configuration declares this service (<c>Services:shop</c>; <c>Verification</c> for the default one),
    /// which is where it is changed; null for a service created through the API.
    /// </summary>
    public string? ConfigurationSection => Source != ServiceSource.Configuration ? null : Id == DefaultId ? "Verification" : $"Services:{Id}";

    /// <summary>The configuration key of one of its settings (<c>Services:shop:CodeLength</c>), for a service declared in configuration.</summary>
    public string? ConfigurationKey(string setting) => ConfigurationSection is { } section ? $"{section}:{setting}" : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>
/// Where a service was declared. A configuration service is written again at every start and only there: the admin API
/// refuses to change or delete it. One no longer in the configuration becomes an API service at the next start.
/// </summary>
public enum ServiceSource
{
    Configuration,
    Api,
}

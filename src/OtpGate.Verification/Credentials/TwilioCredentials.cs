using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Credentials;

/// <summary>
/// A credential of the Twilio Verify-compatible surface: an account (<c>AC…</c>, used with its auth token) or an API key
/// (<c>SK…</c>, used with its secret, acting as its account). <see cref="ServiceId"/> is the one service it acts in;
/// null for an admin account, which manages services and acts in any.
/// </summary>
public sealed record TwilioCredential(string Sid, string AccountSid, string? ServiceId, string FriendlyName, DateTimeOffset CreatedAt)
{
    public bool IsAdmin => ServiceId is null;

    public bool IsApiKey => Sid.StartsWith("SK", StringComparison.Ordinal);
}

/// <summary>A credential just issued, with its token or secret: the only time it is shown.</summary>
public sealed record IssuedTwilioCredential(TwilioCredential Credential, string Secret);

/// <summary>
/// Issues, finds, lists and revokes the credentials OtpGate issues for <c>/v2</c> (table <c>twilio_credentials</c>).
/// Tokens and secrets are 128 random bits shown once; only their SHA-256 is stored (random secrets need no slow hash),
/// and a presented one is compared in constant time. Every authentication reads the row, so a revocation on any
/// instance is seen by every instance at its next request.
/// </summary>
public sealed partial class TwilioCredentials(Database database, TimeProvider time)
{
    public const int MaxFriendlyNameLength = 64;

    /// <summary>Issues an account of <paramref name="serviceId"/>, or an admin account when it is null. The caller has checked the service exists.</summary>
    public async Task<IssuedTwilioCredential> IssueAccountAsync(string? serviceId, string friendlyName, CancellationToken cancellationToken)
    {
        var sid = NewSid("AC");
        return await InsertAsync(sid, sid, serviceId, friendlyName, cancellationToken);
    }

    /// <summary>Issues an API key of an issued account (acting in the account's service); null when there is no such account.</summary>
    public async Task<IssuedTwilioCredential?> IssueKeyAsync(string accountSid, string friendlyName, CancellationToken cancellationToken)
    {
        if (await FindAsync(accountSid, cancellationToken) is not { IsApiKey: false } account)
        {
            return null;
        }

        return await InsertAsync(NewSid("SK"), account.AccountSid, account.ServiceId, friendlyName, cancellationToken);
    }

    /// <summary>The credential with this sid whose token or secret is <paramref name="secret"/>; null otherwise (unknown, revoked, wrong secret).</summary>
    public async Task<TwilioCredential?> AuthenticateAsync(string sid, string secret, CancellationToken cancellationToken)
    {
        if (!IsSid(sid) || secret.Length is 0 or > 256)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await TwilioCredentialStore.FindAsync(connection, sid);
        return row is not null && CryptographicOperations.FixedTimeEquals(Hash(secret), Convert.FromHexString(row.SecretSha256)) ? From(row) : null;
    }

    public async Task<TwilioCredential?> FindAsync(string sid, CancellationToken cancellationToken)
    {
        if (!IsSid(sid))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await TwilioCredentialStore.FindAsync(connection, sid) is { } row ? From(row) : null;
    }

    /// <summary>Every issued credential, or those of one service (no secrets: they are not kept).</summary>
    public async Task<IReadOnlyList<TwilioCredential>> ListAsync(string? serviceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await TwilioCredentialStore.ListAsync(connection, serviceId)).Select(From)];
    }

    /// <summary>Revokes a key, or an account with its keys; how many credentials were revoked (0: no such sid).</summary>
    public async Task<int> RevokeAsync(string sid, CancellationToken cancellationToken)
    {
        if (!IsSid(sid))
        {
            return 0;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var deleted = await TwilioCredentialStore.DeleteAsync(scope, sid);
        await scope.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>"AC" or "SK" and 32 hex digits, as Twilio's account and API key sids.</summary>
    public static bool IsSid(string? sid) => sid is not null && SidPattern().IsMatch(sid);

    /// <summary>The SHA-256 of a token or secret, as stored and as compared.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private async Task<IssuedTwilioCredential> InsertAsync(string sid, string accountSid, string? serviceId, string friendlyName, CancellationToken cancellationToken)
    {
        // 32 lower-case hex digits, the shape of Twilio's auth tokens, so applications that check it accept it.
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var row = new TwilioCredentialRow
        {
            Sid = sid, AccountSid = accountSid, ServiceId = serviceId, FriendlyName = friendlyName,
            SecretSha256 = Convert.ToHexStringLower(Hash(secret)), CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await TwilioCredentialStore.InsertAsync(scope, row);
        await scope.CommitAsync(cancellationToken);
        return new IssuedTwilioCredential(From(row), secret);
    }

    private static string NewSid(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static TwilioCredential From(TwilioCredentialRow row) =>
        new(row.Sid, row.AccountSid, row.ServiceId, row.FriendlyName, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));

    [GeneratedRegex("^(AC|SK)[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex SidPattern();
}

using OtpGate.Server.Hosting;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.SignUpDemo;

/// <summary>An account of the sign-up app: created once a phone number is proven.</summary>
public sealed record Account(string Id, string Name, string Phone, DateTimeOffset VerifiedAt);

/// <summary>
/// The sign-up app's accounts, in the engine's database (<see cref="AccountStore"/>). One account per phone: creating
/// an account for a number that has one returns the existing account instead. Each approved verification signs in
/// once, so an old cookie replayed cannot sign in again.
/// </summary>
public sealed class SignUpAccounts(AccountStore store, TimeProvider time, ILogger<SignUpAccounts> logger)
{
    /// <summary>
    /// Signs in with an approved verification, once: creates the account for its phone or finds the one it has
    /// (<c>Created</c> false). Null when this verification already signed someone in.
    /// </summary>
    public async Task<(Account Account, bool Created)?> SignInAsync(string verificationId, string name, string phone, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await store.SignInAsync(verificationId, "acct_" + SecretFile.RandomToken(12), name, phone, now, cancellationToken) is not var (row, created))
        {
            ServerLog.SignInReplayed(logger, verificationId);
            return null;
        }

        if (created)
        {
            ServerLog.AccountCreated(logger, row.Id, PhoneMasking.Mask(phone));
        }
        else
        {
            ServerLog.AccountExisted(logger, row.Id, PhoneMasking.Mask(phone));
        }

        return (ToAccount(row), created);
    }

    public async Task<Account?> FindAsync(string phone, CancellationToken cancellationToken) =>
        await store.FindAsync(phone, cancellationToken) is { } row ? ToAccount(row) : null;

    private static Account ToAccount(AccountRow row) => new(row.Id, row.Name, row.Phone, DateTimeOffset.FromUnixTimeMilliseconds(row.VerifiedAt));
}

using System.Data.Common;
using Dapper;
using OtpGate.Verification.Phones;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.SignUp;

/// <summary>An account of the sign-up app: created once a phone number is proven.</summary>
public sealed record Account(string Id, string Name, string Phone, DateTimeOffset VerifiedAt);

/// <summary>
/// The sign-up app's accounts table, in the engine's database. One account per phone (<c>phone UNIQUE</c>): creating
/// an account for a number that has one returns the existing account instead. Each approved verification signs in
/// once (<c>signup_sign_ins</c>), so an old cookie replayed cannot sign in again.
/// </summary>
public sealed class AccountStore(Database database, TimeProvider time, ILogger<AccountStore> logger)
{
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (database.Dialect.MigrationLockSql is { } lockSql)
        {
            // Instances starting together on PostgreSQL would otherwise race to create the table.
            await scope.Connection.ExecuteAsync(lockSql, transaction: scope.Transaction);
        }

        // BIGINT: epoch milliseconds overflow PostgreSQL's 32-bit INTEGER (SQLite reads BIGINT as INTEGER).
        await scope.Connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS accounts (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                phone TEXT NOT NULL UNIQUE,
                verified_at BIGINT NOT NULL
            )
            """, transaction: scope.Transaction);
        await scope.Connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS signup_sign_ins (
                verification_id TEXT NOT NULL PRIMARY KEY,
                account_id TEXT NOT NULL,
                signed_in_at BIGINT NOT NULL
            )
            """, transaction: scope.Transaction);
        await scope.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Signs in with an approved verification, once: creates the account for its phone or finds the one it has
    /// (<c>Created</c> false). Null when this verification already signed someone in.
    /// </summary>
    public async Task<(Account Account, bool Created)?> SignInAsync(string verificationId, string name, string phone, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var id = "acct_" + SecretFile.RandomToken(12);
        var inserted = await scope.Connection.ExecuteScalarAsync<string?>("""
            INSERT INTO accounts (id, name, phone, verified_at) VALUES (@id, @name, @phone, @now)
            ON CONFLICT (phone) DO NOTHING
            RETURNING id
            """, new { id, name, phone, now }, scope.Transaction);
        var account = (await FindAsync(scope.Connection, phone, scope.Transaction))!;
        var first = await scope.Connection.ExecuteScalarAsync<string?>("""
            INSERT INTO signup_sign_ins (verification_id, account_id, signed_in_at) VALUES (@verificationId, @accountId, @now)
            ON CONFLICT (verification_id) DO NOTHING
            RETURNING verification_id
            """, new { verificationId, accountId = account.Id, now }, scope.Transaction);
        if (first is null)
        {
            // Rolled back: the account row above (if it was new, which it cannot be here) goes with it.
            ServerLog.SignInReplayed(logger, verificationId);
            return null;
        }

        await scope.CommitAsync(cancellationToken);
        if (inserted is not null)
        {
            ServerLog.AccountCreated(logger, account.Id, PhoneMasking.Mask(phone));
        }
        else
        {
            ServerLog.AccountExisted(logger, account.Id, PhoneMasking.Mask(phone));
        }

        return (account, inserted is not null);
    }

    public async Task<Account?> FindAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, phone, null);
    }

    private static async Task<Account?> FindAsync(DbConnection connection, string phone, DbTransaction? transaction)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string Name, string Phone, long VerifiedAt)?>(
            "SELECT id, name, phone, verified_at FROM accounts WHERE phone = @phone", new { phone }, transaction);
        return row is { } r ? new Account(r.Id, r.Name, r.Phone, DateTimeOffset.FromUnixTimeMilliseconds(r.VerifiedAt)) : null;
    }
}

/// <summary>Creates the accounts table at start, after the engine's migrations (hosted services start in order).</summary>
internal sealed class AccountsInitializer(AccountStore accounts) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => accounts.EnsureTableAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

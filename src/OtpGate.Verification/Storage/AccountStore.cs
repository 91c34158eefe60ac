using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>A row of the sign-up app's <c>accounts</c> table (<see cref="VerifiedAt"/> in epoch milliseconds).</summary>
public sealed record AccountRow(string Id, string Name, string Phone, long VerifiedAt);

/// <summary>
/// The SQL of the sign-up app's tables (created by migration 0004): <c>accounts</c>, one per phone (<c>phone UNIQUE</c>),
/// and <c>signup_sign_ins</c>, the approved verifications that signed in, each once.
/// </summary>
public sealed class AccountStore(Database database)
{
    /// <summary>
    /// Signs in with an approved verification, once, in one transaction: creates the account for the phone under
    /// <paramref name="newAccountId"/>, or finds the one it has (<c>Created</c> false). Null, with nothing written, when
    /// this verification already signed someone in.
    /// </summary>
    public async Task<(AccountRow Account, bool Created)?> SignInAsync(string verificationId, string newAccountId, string name, string phone, long now, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var inserted = await scope.Connection.ExecuteScalarAsync<string?>("""
            INSERT INTO accounts (id, name, phone, verified_at) VALUES (@newAccountId, @name, @phone, @now)
            ON CONFLICT (phone) DO NOTHING
            RETURNING id
            """, new { newAccountId, name, phone, now }, scope.Transaction);
        var account = (await FindAsync(scope.Connection, phone, scope.Transaction))!;
        var first = await scope.Connection.ExecuteScalarAsync<string?>("""
            INSERT INTO signup_sign_ins (verification_id, account_id, signed_in_at) VALUES (@verificationId, @accountId, @now)
            ON CONFLICT (verification_id) DO NOTHING
            RETURNING verification_id
            """, new { verificationId, accountId = account.Id, now }, scope.Transaction);
        if (first is null)
        {
            // Rolled back on dispose: the account row above (if it was new, which it cannot be here) goes with it.
            return null;
        }

        await scope.CommitAsync(cancellationToken);
        return (account, inserted is not null);
    }

    public async Task<AccountRow?> FindAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, phone, null);
    }

    private static Task<AccountRow?> FindAsync(System.Data.Common.DbConnection connection, string phone, System.Data.Common.DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<AccountRow>(
            "SELECT id AS Id, name AS Name, phone AS Phone, verified_at AS VerifiedAt FROM accounts WHERE phone = @phone", new { phone }, transaction);
}

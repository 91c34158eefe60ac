using Dapper;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// A verification read for a change (check, resend, cancel) is locked against other changes only: another transaction
/// may still add rows that reference it. Found as a deadlock between a cancel, holding the verification and waiting for
/// its send's row, and the dispatcher, holding that send's row and adding the verification's timeline entry.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class RowLockTests
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task A_verification_locked_for_a_change_still_lets_another_transaction_reference_it()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            await using var engine = await Engine.StartAsync(time: TimeProvider.System,
                settings: new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });
            var id = await engine.StartVerificationAsync();
            await using var changing = await engine.Database.BeginWriteAsync(None);
            Assert.NotNull(await VerificationStore.FindForUpdateAsync(changing, Engine.Owner, id));

            // The lock an insert of a timeline entry or a send takes on the row it references (its foreign-key check),
            // asked without waiting: refused at once if the change's lock excluded it.
            await using var referencing = await engine.Database.BeginWriteAsync(None);
            var taken = await referencing.Connection.ExecuteScalarAsync<int>(
                "SELECT 1 FROM verifications WHERE id = @id FOR KEY SHARE NOWAIT", new { id }, referencing.Transaction);

            Assert.Equal(1, taken);
        }
        finally
        {
            await drop();
        }
    }
}

using Dapper;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// The dispatcher claims often, so its statements must read the small due-jobs index, never every send ever made:
/// SQLite uses a partial index only when the query repeats the index's condition (found in a CPU profile, where the
/// claim had been scanning the whole table).
/// </summary>
[Trait("Storage", "sqlite-only")]
public sealed class ClaimQueryPlanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("otpgate-plan-").FullName;

    [Theory]
    [InlineData("claim")]
    [InlineData("contexts")]
    public async Task Claim_statements_use_the_due_jobs_index(string statement)
    {
        using var database = Database.ForSqlite(_directory);
        await Migrator.MigrateAsync(database, TimeProvider.System, TestContext.Current.CancellationToken);
        var sql = statement == "claim" ? OutboxStore.ClaimSql(database.Dialect) : OutboxStore.ClaimedContextsSql;
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);

        var plan = string.Join("\n", (await connection.QueryAsync<(long, long, long, string Detail)>(
            "EXPLAIN QUERY PLAN " + sql, new { instance = "i", max = 10, now = 1L, leaseUntil = 2L })).Select(row => row.Detail));

        Assert.Contains("ix_sends_due", plan, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"SCAN sends(?! USING)", plan);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

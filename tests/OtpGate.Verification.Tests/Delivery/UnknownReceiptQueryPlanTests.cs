using Dapper;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// The cap runs on every webhook call that brings an unknown message id, and the purge on every maintenance pass: both
/// must read the small index of unknown statuses, never every receipt kept for the 30-day retention.
/// </summary>
[Trait("Storage", "sqlite-only")]
public sealed class UnknownReceiptQueryPlanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("otpgate-plan-").FullName;

    [Theory]
    [InlineData("trim")]
    [InlineData("purge")]
    public async Task Unknown_status_statements_use_their_own_index(string statement)
    {
        using var database = Database.ForSqlite(_directory);
        await Migrator.MigrateAsync(database, TimeProvider.System, TestContext.Current.CancellationToken);
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);

        var plan = string.Join("\n", (await connection.QueryAsync<(long, long, long, string Detail)>(
            "EXPLAIN QUERY PLAN " + (statement == "trim" ? DeliveryStore.TrimUnknownSql : DeliveryStore.PurgeUnknownSql),
            new { max = 10, before = 1L })).Select(row => row.Detail));

        Assert.Contains("ix_delivery_receipts_unknown", plan, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"SCAN delivery_receipts(?! USING)", plan);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// On PostgreSQL the fraud guard's counters and the spend rows are spread over shards while hot; the maintenance pass
/// folds the minutes and days that are no longer hot into shard 0, keeping every sum, so that reads stay one row per
/// prefix and minute (or per day). An approval of a folded minute goes to shard 0 and still counts.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class CounterCompactionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_maintenance_pass_folds_cold_minutes_and_days_into_one_shard_and_keeps_their_sums()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "true" };
        try
        {
            await using var engine = await Engine.StartAsync(settings: settings);
            for (var i = 0; i < 24; i++)
            {
                await engine.StartVerificationAsync($"+1 646 500 {i:D4}", ip: $"203.0.113.{i}");
                if (i % 8 == 7)
                {
                    engine.Time.Advance(TimeSpan.FromMinutes(1)); // under the guard's 10 starts a minute for a quiet prefix
                }
            }

            var sums = await Sums(engine);
            Assert.True(await engine.ScalarAsync<long>("SELECT COUNT(DISTINCT shard) FROM fraud_counters") > 1, "24 starts over 16 shards land in more than one");
            Assert.True(await engine.ScalarAsync<long>("SELECT COUNT(DISTINCT shard) FROM spend") > 1, "and so do their charges");

            engine.Time.Advance(TimeSpan.FromMinutes(10)); // cold minutes, still in the guard's hour
            await engine.Maintenance.SweepAsync(None);
            Assert.Equal(0, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM fraud_counters WHERE shard <> 0"));
            Assert.Equal(sums, await Sums(engine));

            engine.Time.Advance(TimeSpan.FromDays(1)); // a past day (the counters are purged by now)
            await engine.Maintenance.SweepAsync(None);
            Assert.Equal(0, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM spend WHERE shard <> 0"));
            Assert.Equal((sums.Spent, sums.Sends), ((await Sums(engine)).Spent, (await Sums(engine)).Sends));
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task An_approval_of_a_minute_already_folded_is_counted_in_shard_0()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "true" };
        try
        {
            await using var engine = await Engine.StartAsync(settings: settings);
            var id = await engine.StartVerificationAsync("+1 646 500 0001");
            engine.Time.Advance(TimeSpan.FromMinutes(3));
            await engine.Maintenance.SweepAsync(None);

            var checkedIn = await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.ReadCodeAsync(id), None);

            Assert.Equal(OtpGate.Verification.Contract.VerificationStatus.Approved, checkedIn.Verification!.Status);
            Assert.Equal(5, await engine.ScalarAsync<long>("SELECT SUM(approvals) FROM fraud_counters WHERE shard = 0"));
            Assert.Equal(0, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM fraud_counters WHERE shard <> 0"));
        }
        finally
        {
            await drop();
        }
    }

    private static async Task<(long Starts, long Approvals, long Spent, long Sends)> Sums(Engine engine) => (
        await engine.ScalarAsync<long>("SELECT COALESCE(SUM(starts), 0) FROM fraud_counters"),
        await engine.ScalarAsync<long>("SELECT COALESCE(SUM(approvals), 0) FROM fraud_counters"),
        await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend"),
        await engine.ScalarAsync<long>("SELECT SUM(sends) FROM spend"));
}

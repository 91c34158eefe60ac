using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>Two engine instances on one PostgreSQL database share one spend total: a cap holds whichever instance is asked.</summary>
[Trait("Storage", "postgres-only")]
public sealed class SpendAcrossInstancesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Two_instances_starting_at_once_spend_exactly_up_to_the_daily_cap_between_them()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString,
            ["Spend:Prices:whatsapp:Default"] = "1", ["Spend:DailyCap"] = "5",
        };
        try
        {
            await using var first = await Engine.StartAsync(settings: settings);
            await using var second = await Engine.StartAsync(settings: settings);
            Engine[] instances = [first, second];

            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
                instances[i % 2].Verifications.StartAsync(Engine.Owner, new StartRequest($"+1 646 500 {i:D4}"), None))));

            Assert.Equal(5, results.Count(r => r.Refusal is null));
            Assert.All(results.Where(r => r.Refusal is not null), r => Assert.Equal((Refusal.SpendCapReached, "overall_daily"), (r.Refusal!.Reason, r.Refusal.Limit)));
            Assert.Equal(5_000_000, await first.ScalarAsync<long>("SELECT SUM(amount) FROM spend"));
        }
        finally
        {
            await drop();
        }
    }
}

using Dapper;
using Npgsql;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// On PostgreSQL the spend lock is shared while every cap is far (starts charge in parallel, none waits for another's
/// commit) and exclusive near one (a start waits for every charge in flight, then reads exact sums). A transaction of
/// the test's own holds the lock shared, as a start far from the cap does until its commit.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class SpendLockTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Far_from_the_cap_a_start_does_not_wait_for_a_charge_in_flight_and_near_it_does()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        // 1 per message, a cap of 1,029: the first 5 starts have more than 1,024 messages' room, the sixth does not.
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "false",
            ["Spend:Prices:whatsapp:Default"] = "1", ["Spend:DailyCap"] = "1029", ["Spend:WarnAt"] = "1",
        };
        try
        {
            await using var engine = await Engine.StartAsync(settings: settings);
            await using var inFlight = new NpgsqlConnection(connectionString);
            await inFlight.OpenAsync(None);
            await using var charge = await inFlight.BeginTransactionAsync(None);
            await inFlight.ExecuteAsync("SELECT pg_advisory_xact_lock_shared(hashtext('spend'))", transaction: charge);

            for (var i = 0; i < 5; i++)
            {
                var far = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest($"+1 646 500 000{i}"), None).WaitAsync(TimeSpan.FromSeconds(30), None);
                Assert.Null(far.Refusal);
            }

            var near = engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 646 500 0009"), None);
            await Task.Delay(TimeSpan.FromSeconds(1), None);
            Assert.False(near.IsCompleted, "a start near the cap must wait for the charge in flight");
            await charge.CommitAsync(None);
            Assert.Null((await near.WaitAsync(TimeSpan.FromSeconds(30), None)).Refusal);
            Assert.Equal(6_000_000, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend"));
        }
        finally
        {
            await drop();
        }
    }
}

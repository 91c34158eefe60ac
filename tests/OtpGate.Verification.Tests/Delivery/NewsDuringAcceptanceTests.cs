using Dapper;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// 1MSG's callbacks can overtake the dispatcher: a number without WhatsApp fails about as soon as it is accepted. News
/// taken in while the acceptance commits must not be lost between the two transactions (each seeing nothing of the
/// other), which left the verification pending until the status poll. PostgreSQL only: SQLite serialises its writers.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class NewsDuringAcceptanceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_failure_taken_in_while_its_send_is_being_accepted_fails_the_verification_at_once()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            await using var engine = await Engine.StartAsync(settings: new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });
            var id = await engine.StartVerificationAsync();
            var sendId = await engine.ScalarAsync<long>("SELECT id FROM sends WHERE verification_id = @id", new { id });
            var now = engine.Time.GetUtcNow().ToUnixTimeMilliseconds();

            // Another callback is storing a status for another message at this moment: its transaction is still open.
            await using var other = await engine.Database.BeginWriteAsync(None);
            await DeliveryStore.TryInsertReceiptAsync(other, new Receipt { MessageId = "wamid.other", Status = "delivered" }, now);

            // The dispatcher has the message id and records the acceptance, as OutboxDispatcher does, not committed yet...
            await using var accepting = await engine.Database.BeginWriteAsync(None);
            await Lifecycle.SendAcceptedAsync(accepting, id, sendId, "wamid.race", now + 60_000, now);

            // ...when 1MSG's "failed" for it comes in, in one callback with the other message's status.
            var intake = Task.Run(() => engine.IngestAsync(
                [
                    new StatusEvent("wamid.race", DeliveryStatus.Failed, "failed", null, null, "Message undeliverable", 131026),
                    new StatusEvent("wamid.other", DeliveryStatus.Delivered, "delivered", null, null, null, null),
                ], None));
            await WaitUntilBlockedByAsync(engine, intake, other, accepting);
            await engine.Intake.ReconcileAsync(accepting, "wamid.race", now);
            await accepting.CommitAsync(None);
            await other.DisposeAsync(); // rolled back: the intake stores that status itself
            await intake;

            var verification = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
            Assert.Equal(VerificationStatus.Failed, verification.Status);
            Assert.Equal("failed", verification.DeliveryStatus);
            Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE message_id = 'wamid.race' AND applied = 0"));
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>Waits until the intake's transaction waits for one of the open ones (a lock), so the interleaving is the one meant.</summary>
    private static async Task WaitUntilBlockedByAsync(Engine engine, Task intake, params WriteScope[] open)
    {
        var pids = new int[open.Length];
        for (var i = 0; i < open.Length; i++)
        {
            pids[i] = await open[i].Connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: open[i].Transaction);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await engine.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE pg_blocking_pids(pid) && @pids", new { pids }) == 0)
        {
            Assert.False(intake.IsCompleted, "The intake ended without waiting for either open transaction.");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "The intake never waited for either open transaction.");
            await Task.Delay(20, None);
        }
    }
}

using Dapper;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// A delivery after a failure revives the verification only while its owner has no other pending one for the phone and
/// purpose. With instances writing at once, a start for the same phone may commit a new pending verification while the
/// revive runs: the revive must then leave the failed one failed, not have the live index refuse the whole callback
/// (the webhook answered 500). PostgreSQL only: SQLite serialises its writers.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class ReviveDuringStartTests
{
    private const string Phone = "+1 212 555 0102";
    private const string Digits = "12125550102";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_delivery_taken_in_while_a_start_for_the_phone_commits_leaves_the_failed_verification_failed()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
            await using var sandbox = await StartSandboxAsync(time); // marks this phone "sent" only: every later status is the test's
            await using var engine = await Engine.StartAsync(sandbox: sandbox, time: time,
                settings: new() { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString });
            var id = await engine.StartVerificationAsync(Phone);
            time.Advance(TimeSpan.FromSeconds(1)); // past the dispatcher's pacing, on the fake clock
            await engine.Dispatcher.DispatchDueAsync(None);
            var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[^1].MessageId!;
            await engine.IngestAsync([new StatusEvent(messageId, DeliveryStatus.Failed, "failed", null, null, "Message undeliverable", 131026)], None);
            Assert.Equal(VerificationStatus.Failed, (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Status);

            // Another instance is starting again for the same owner, phone and purpose: it has the phone's turn, as
            // starts take it, and has written its pending verification (its code does not matter here), not committed yet...
            var again = "v_again";
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var start = await engine.Database.BeginWriteAsync(None);
            await LimitStore.LockAsync(start, LimitScopes.PhoneTurn(Digits));
            await start.Connection.ExecuteAsync("""
                INSERT INTO verifications (id, owner, phone, region, purpose, locale, channel, status, expires_at, max_attempts, next_resend_at, created_at, updated_at)
                SELECT @again, owner, phone, region, purpose, locale, channel, 'pending', @now + 600000, max_attempts, @now, @now, @now
                FROM verifications WHERE id = @id
                """, new { again, id, now }, start.Transaction);

            // ...when 1MSG's "delivered" for the failed message comes in; the start commits while the intake waits for it.
            var intake = Task.Run(() => engine.IngestAsync([new StatusEvent(messageId, DeliveryStatus.Delivered, "delivered", null, null, null, null)], None));
            await WaitUntilWaitingForAsync(engine, intake, start);
            await start.CommitAsync(None);
            await intake;

            var failed = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
            Assert.Equal(VerificationStatus.Failed, failed.Status);
            Assert.Contains(failed.Timeline, t => (t.Kind, t.Status) == ("delivery", "delivered"));
            Assert.DoesNotContain(failed.Timeline, t => t.Kind == "revived");
            await using var connection = await engine.Database.OpenAsync(None);
            Assert.Equal(("pending", now), await connection.QuerySingleAsync<(string, long)>(
                "SELECT status, updated_at FROM verifications WHERE id = @again", new { again }));
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>Waits until the intake's transaction waits for the open one (a lock), so the interleaving is the one meant.</summary>
    private static async Task WaitUntilWaitingForAsync(Engine engine, Task intake, WriteScope open)
    {
        var pid = await open.Connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: open.Transaction);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await engine.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE @pid = ANY(pg_blocking_pids(pid))", new { pid }) == 0)
        {
            Assert.False(intake.IsCompleted, "The intake ended without waiting for the start's transaction.");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "The intake never waited for the start's transaction.");
            await Task.Delay(20, None);
        }
    }
}

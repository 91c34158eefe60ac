using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Npgsql;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>
/// An enqueue notifies nobody from its own transaction: on PostgreSQL every notifying transaction takes one lock through
/// its commit's flush, so a NOTIFY in each start made the starts of all instances commit one at a time. The other
/// instances are told after the commit (<see cref="PostgresOutboxListener"/>, tested in <c>OutboxBroadcastTests</c>).
/// </summary>
public abstract partial class OutboxStoreContract
{
    [Fact]
    public async Task An_enqueue_sends_no_notification_from_its_own_transaction()
    {
        await InsertAsync(Pending("v1"));
        if (!Database.Dialect.Notifications)
        {
            // One process owns the database: the dispatcher is woken in process (WriteScope.MarkSendQueued).
            await EnqueueAsync("v1");
            return;
        }

        // The channel is the whole server's (other tests notify it too): only this transaction's notification counts.
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            await using var listener = new NpgsqlConnection(connectionString);
            await listener.OpenAsync(Token);
            var senders = new ConcurrentQueue<int>();
            listener.Notification += (_, e) => senders.Enqueue(e.PID);
            await listener.ExecuteAsync($"LISTEN {PostgresDialect.OutboxChannel}");

            await using var scope = await Database.BeginWriteAsync(Token);
            var enqueuer = await scope.Connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: scope.Transaction);
            await OutboxStore.EnqueueAsync(scope, "v1", SendReason.Start, Now, Now);
            await scope.CommitAsync(Token);
            // A notification is delivered at its transaction's commit; this one's would have arrived long before now.
            await using (var probe = new NpgsqlConnection(connectionString))
            {
                await probe.OpenAsync(Token);
                await probe.ExecuteAsync($"NOTIFY {PostgresDialect.OutboxChannel}, 'probe'");
                var probePid = probe.ProcessID;
                await ListenAsync(listener, TimeSpan.FromSeconds(30), () => senders.Contains(probePid));
                Assert.Contains(probePid, senders);
            }

            Assert.DoesNotContain(enqueuer, senders);
        }
        finally
        {
            await drop();
        }
    }

    private static async Task ListenAsync(NpgsqlConnection listener, TimeSpan atMost, Func<bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (!done() && waited.Elapsed < atMost)
        {
            await listener.WaitAsync((int)Math.Max(1, (atMost - waited.Elapsed).TotalMilliseconds), Token);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using Npgsql;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>The wake-up an enqueue sends other instances' dispatchers, where the database can notify.</summary>
public abstract partial class OutboxStoreContract
{
    [Fact]
    public async Task An_enqueue_wakes_listening_dispatchers_when_it_commits_where_the_database_can_notify()
    {
        await InsertAsync(Pending("v1"));
        if (!Database.Dialect.Notifications)
        {
            // One process owns the database: the dispatcher is woken in process (WriteScope.MarkSendQueued), nothing in SQL.
            Assert.Null(Database.Dialect.NotifyOutboxSql);
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
            await ListenAsync(listener, TimeSpan.FromMilliseconds(300), () => false);
            Assert.DoesNotContain(enqueuer, senders); // a dispatcher woken before the commit would find nothing
            await scope.CommitAsync(Token);

            await ListenAsync(listener, TimeSpan.FromSeconds(30), () => senders.Contains(enqueuer));
            Assert.Contains(enqueuer, senders);
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

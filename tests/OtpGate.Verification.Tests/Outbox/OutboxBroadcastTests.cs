using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// On PostgreSQL an instance that queued a send tells the others after its commit (<see cref="PostgresOutboxListener"/>),
/// with its name, so they wake and it does not wake itself twice; the start's own transaction notifies nobody
/// (<c>OutboxStoreContract.An_enqueue_sends_no_notification_from_its_own_transaction</c>).
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class OutboxBroadcastTests
{
    [Fact]
    public async Task A_start_on_one_instance_is_announced_to_the_others_after_its_commit_under_the_instance_name()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Fraud:Enabled"] = "false" };
            await using var first = await Engine.StartAsync(settings: settings);
            await using var second = await Engine.StartAsync(settings: settings);
            var name = first.Dispatcher.InstanceId;
            var heard = new TaskCompletionSource();
            var listening = new TaskCompletionSource();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var listen = second.Database.ListenAsync(PostgresDialect.OutboxChannel, sender => { if (sender == name) { heard.TrySetResult(); } }, () => listening.TrySetResult(), stop.Token);
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var announcer = first.Services.GetServices<IHostedService>().OfType<PostgresOutboxListener>().Single();
            await announcer.StartAsync(stop.Token);
            try
            {
                await first.StartVerificationAsync();

                await heard.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await announcer.StopAsync(CancellationToken.None);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
            }
        }
        finally
        {
            await drop();
        }
    }
}

using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Outbox;

/// <summary>
/// On PostgreSQL, the instances' wake-ups for new outbox work (LISTEN/NOTIFY): this instance's dispatcher wakes when
/// another instance queued a send, and the others are told when this one did, so new work is picked up at once wherever
/// it was started; the dispatcher's polling stays the backstop. The telling happens here, after the commits and outside
/// them, at most once per <see cref="BroadcastSpacing"/>: PostgreSQL serialises the commits of notifying transactions,
/// so a NOTIFY inside each start would make every start wait for the one before it to reach the disk.
/// </summary>
public sealed partial class PostgresOutboxListener(
    Database database, OutboxSignal signal, OutboxBroadcast broadcast, OutboxDispatcher dispatcher, TimeProvider time, ILogger<PostgresOutboxListener> logger)
    : BackgroundService
{
    /// <summary>
    /// The least time between two notifications from this instance. Real time, not the injected clock: it spaces real
    /// commits on a real server, and a stopped test clock must not silence the instance.
    /// </summary>
    internal static readonly TimeSpan BroadcastSpacing = TimeSpan.FromMilliseconds(50);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database.Dialect.Notifications
            ? Task.WhenAll(ListenAsync(stoppingToken), BroadcastAsync(stoppingToken))
            // One process: the commit that queues a send wakes this dispatcher directly.
            : Task.CompletedTask;

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // Said once per outage: while PostgreSQL is away this loop reconnects every 2 seconds.
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await database.ListenAsync(PostgresDialect.OutboxChannel, WakeUnlessOwn, listening: () =>
                {
                    if (failing)
                    {
                        LogListening(logger);
                        failing = false;
                    }
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException)
            {
                if (!failing)
                {
                    LogListenFailed(logger, e.Message);
                    failing = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    // This instance's own sends woke its dispatcher in process already.
    private void WakeUnlessOwn(string sender)
    {
        if (!string.Equals(sender, dispatcher.InstanceId, StringComparison.Ordinal))
        {
            signal.Notify();
        }
    }

    private async Task BroadcastAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await broadcast.WaitAsync(TimeSpan.FromMinutes(1), time, stoppingToken))
                {
                    continue;
                }

                await database.NotifyAsync(PostgresDialect.OutboxChannel, dispatcher.InstanceId, stoppingToken);
                await Task.Delay(BroadcastSpacing, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or StorageUnavailableException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // The other instances poll anyway; the listening loop reports the outage.
                LogBroadcastFailed(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for new outbox work failed ({Reason}); polling covers it, reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for new outbox work again")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telling other instances of new outbox work failed ({Reason}); they poll for it")]
    private static partial void LogBroadcastFailed(ILogger logger, string reason);
}

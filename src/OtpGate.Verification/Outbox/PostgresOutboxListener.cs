using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Outbox;

/// <summary>
/// On PostgreSQL, wakes this instance's dispatcher when any instance enqueues a send (LISTEN/NOTIFY), so new work
/// is picked up at once wherever it was started; the dispatcher's polling stays the backstop.
/// </summary>
public sealed partial class PostgresOutboxListener(Database database, OutboxSignal signal, TimeProvider time, ILogger<PostgresOutboxListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Dialect.Notifications)
        {
            // One process: the commit that queues a send wakes this dispatcher directly.
            return;
        }

        // Said once per outage: while PostgreSQL is away this loop reconnects every 2 seconds.
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await database.ListenAsync(PostgresDialect.OutboxChannel, signal.Notify, listening: () =>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for new outbox work failed ({Reason}); polling covers it, reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for new outbox work again")]
    private static partial void LogListening(ILogger logger);
}

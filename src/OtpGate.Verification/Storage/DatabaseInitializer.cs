using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OtpGate.Verification.Storage;

/// <summary>Applies migrations at start-up, before the dispatcher and the API run.</summary>
public sealed partial class DatabaseInitializer(Database database, TimeProvider time, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int applied;
        try
        {
            applied = await Migrator.MigrateAsync(database, time, cancellationToken);
        }
        catch (Exception e) when (StorageFault.IsUnavailable(e))
        {
            // A read-only folder or an unreachable server: a sentence for whoever starts the server, not a stack trace.
            throw new StorageUnavailableException(database.StartupProblem(e), e);
        }

        LogReady(logger, database.Description, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Description} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger logger, string description, int applied);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OtpGate.Verification.Storage;

/// <summary>Applies migrations at start-up, before the dispatcher and the API run.</summary>
public sealed partial class DatabaseInitializer(Database database, TimeProvider time, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrator.MigrateAsync(database, time, cancellationToken);
        LogReady(logger, database.Description, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage: {Description} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger logger, string description, int applied);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Maintenance;

/// <summary>
/// Sweeps pending verifications past their expiry to <c>expired</c> (erasing their code material), and purges
/// records older than the retention, statuses for unknown message ids older than theirs, limit events past their
/// longest window, and stale idempotency keys.
/// </summary>
public sealed partial class MaintenanceService(
    Database database,
    UnknownReceipts unknownReceipts,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<MaintenanceService> logger) : PeriodicService(time)
{
    protected override TimeSpan Interval => options.Value.Dispatch.SweepInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception)
    {
        // A storage fault is logged once by the database, not once per pass.
        if (!database.ReportFailure(exception))
        {
            LogSweepFailed(logger, exception);
        }
    }

    /// <summary>One pass; returns how many verifications expired.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var expired = await Lifecycle.ExpireDueAsync(scope, now);

        var retentionStart = now - VerificationService.Ms(o.Retention);
        var purged = await RetentionStore.PurgeEndedVerificationsAsync(scope, retentionStart);
        await RetentionStore.PurgeReceiptsAsync(scope, retentionStart);
        await unknownReceipts.PurgeAsync(scope, now);
        var longestWindow = Math.Max(VerificationService.Ms(TimeSpan.FromDays(1)), VerificationService.Ms(o.FailedChecksWindow));
        await LimitStore.PurgeAsync(scope, now - longestWindow);
        await IdempotencyStore.PurgeAsync(scope, now - VerificationService.Ms(o.IdempotencyWindow));
        await FraudStore.PurgeAsync(scope, (now - longestWindow) / 60_000, now); // counters past the longest Fraud:Window
        // Counters sharded while hot, folded once they are not (PostgreSQL), so that reads sum few rows.
        await FraudStore.CompactAsync(scope, now / 60_000 - 2);
        await SpendStore.CompactAsync(scope, now / Fraud.SpendMeter.DayMs);
        await scope.CommitAsync(cancellationToken);

        if (expired.Count > 0 || purged > 0)
        {
            LogSwept(logger, expired.Count, purged);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance: {Expired} verifications expired, {Purged} old ones purged")]
    private static partial void LogSwept(ILogger logger, int expired, int purged);

    [LoggerMessage(Level = LogLevel.Error, Message = "A maintenance pass failed; retrying")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// Statuses for a message id no send has yet. A real one waits only until its send is recorded (the moment between
/// the channel's answer and our commit), but anyone with the webhook secret can post as many as they like: they are kept for
/// <see cref="VerificationOptions.UnknownReceiptRetention"/>, and at most <see cref="VerificationOptions.MaxUnknownReceipts"/>
/// of them at once.
/// </summary>
public sealed partial class UnknownReceipts(VerificationMetrics metrics, IOptions<VerificationOptions> options, TimeProvider time, ILogger<UnknownReceipts> logger)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMinutes(5);

    private readonly Lock _reportLock = new();
    private long _droppedSinceReport;
    private DateTimeOffset? _lastReport;

    /// <summary>
    /// Past the cap, the oldest go first (by arrival). A real early status is the youngest there is and needs seconds, so
    /// it is evicted only if more than the cap arrive in those seconds; dropping new ones instead would lose every real
    /// early status for hours once a flood had filled the table. (On PostgreSQL, transactions not committed yet are not
    /// counted: the cap can be passed by what is in flight at that moment.)
    /// </summary>
    internal Task<int> TrimAsync(WriteScope scope) => DeliveryStore.TrimUnknownReceiptsAsync(scope, options.Value.MaxUnknownReceipts);

    /// <summary>Counts statuses <see cref="TrimAsync"/> dropped (once committed), and says so in the log once per period.</summary>
    internal void Dropped(int dropped)
    {
        if (dropped <= 0)
        {
            return;
        }

        metrics.UnknownReceiptsDropped(dropped);
        long total;
        lock (_reportLock)
        {
            // A flood would write one warning per webhook call: one line per period says it, with the number dropped.
            _droppedSinceReport += dropped;
            var now = time.GetUtcNow();
            if (_lastReport is { } last && now - last < ReportEvery)
            {
                return;
            }

            total = _droppedSinceReport;
            _droppedSinceReport = 0;
            _lastReport = now;
        }

        LogDropped(logger, total, options.Value.MaxUnknownReceipts);
    }

    /// <summary>Deletes those older than the retention for them (a maintenance pass); returns how many.</summary>
    internal Task<int> PurgeAsync(WriteScope scope, long now) =>
        DeliveryStore.PurgeUnknownReceiptsAsync(scope, now - VerificationService.Ms(options.Value.UnknownReceiptRetention));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dropped} delivery statuses for message ids no send has were dropped (the oldest first): more than {Max} were waiting (Verification:MaxUnknownReceipts). A flood of webhook calls, or a channel that also sends messages OtpGate did not; said at most every 5 minutes")]
    private static partial void LogDropped(ILogger logger, long dropped, int max);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Maintenance;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// The fallback when a channel's callbacks are late or off: a send with no final status after <c>StatusPollAfter</c> is
/// polled through its channel (<see cref="IDeliveryPolling"/>, such as 1MSG's <c>hookInfo</c>) with backoff, until read
/// or failed (on past delivered, so that read is learnt with callbacks off too), or until its code expires, which bounds
/// the polls of one send. Sends of channels that cannot be polled are skipped.
/// </summary>
public sealed partial class DeliveryStatusPoller(
    Database database,
    CodeChannels channels,
    DeliveryIntake intake,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<DeliveryStatusPoller> logger) : PeriodicService(time)
{
    private const int BatchSize = 32;

    protected override TimeSpan Interval => options.Value.Dispatch.PollInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PollDueAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception)
    {
        // A storage fault is logged once by the database, not once per pass.
        if (!database.ReportFailure(exception))
        {
            LogPassFailed(logger, exception);
        }
    }

    /// <summary>One pass: polls every due send once; returns how many were polled.</summary>
    public async Task<int> PollDueAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await DeliveryStore.ClaimDuePollsAsync(database, now, VerificationService.Ms(options.Value.Dispatch.StatusPollAfter), BatchSize, cancellationToken);
        foreach (var send in due)
        {
            if (channels.Find(send.Channel) is not IDeliveryPolling polling)
            {
                continue;
            }

            try
            {
                var news = await polling.PollDeliveryAsync(send.MessageId, cancellationToken);
                await intake.IngestAsync(news, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !database.ReportFailure(e))
            {
                // A channel's own failure says what went wrong in words safe to log; anything else is named by its type.
                LogPollFailed(logger, send.Id, MessageIdFingerprint.Of(send.MessageId), e is ChannelUnavailableException ? e.Message : e.GetType().Name);
            }
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the delivery status of send {SendId} (message {MessageId}) failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, long sendId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A delivery-status polling pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Maintenance;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// The fallback when webhooks are late or off: a send with no final status after <c>StatusPollAfter</c> is polled
/// through <c>hookInfo</c> with backoff, until delivered, read or failed, or until its code expires.
/// </summary>
public sealed partial class DeliveryStatusPoller(
    Database database,
    OneMsgClient client,
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
        var due = await ClaimDueAsync(now, cancellationToken);
        foreach (var send in due)
        {
            try
            {
                var events = await client.GetHookInfoAsync(send.MessageId, cancellationToken);
                await intake.IngestAsync(events, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !database.ReportFailure(e))
            {
                LogPollFailed(logger, send.Id, MessageIdMasking.Fingerprint(send.MessageId), MessageIdMasking.Redact(e.Message));
            }
        }

        return due.Count;
    }

    /// <summary>Takes due sends by moving their next poll forward (the backoff doubles), so other instances skip them.</summary>
    private async Task<List<PollTarget>> ClaimDueAsync(long now, CancellationToken cancellationToken)
    {
        var first = VerificationService.Ms(options.Value.Dispatch.StatusPollAfter);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var claimed = (await scope.Connection.QueryAsync<PollTarget>($"""
            UPDATE sends
            SET polls = polls + 1,
                next_poll_at = CASE
                    WHEN (SELECT v.expires_at FROM verifications v WHERE v.id = sends.verification_id) <= @now THEN NULL
                    ELSE @now + @first * (CASE WHEN polls >= 3 THEN 8 ELSE polls * 2 + 1 END) END
            WHERE id IN (
                SELECT id FROM sends
                WHERE next_poll_at IS NOT NULL AND next_poll_at <= @now AND message_id IS NOT NULL
                  AND delivery_status IN ('{SendStatus.Accepted}', '{SendStatus.Sent}')
                ORDER BY next_poll_at LIMIT {BatchSize} {database.Dialect.ClaimLockSuffix})
            RETURNING id, message_id
            """, new { now, first }, scope.Transaction)).ToList();
        await scope.CommitAsync(cancellationToken);
        return claimed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling hookInfo for send {SendId} (message {MessageId}) failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, long sendId, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A delivery-status polling pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    private sealed class PollTarget
    {
        public long Id { get; set; }
        public string MessageId { get; set; } = "";
    }
}

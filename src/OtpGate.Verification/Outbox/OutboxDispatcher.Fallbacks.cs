using OtpGate.Verification.Contract;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Outbox;

public sealed partial class OutboxDispatcher
{
    /// <summary>Sends whose fallback deadline passed taken per transaction.</summary>
    private const int FallbackBatch = 100;

    /// <summary>When the fallback deadlines are next looked at (Unix ms); passes run one at a time.</summary>
    private long _fallbacksAt;

    /// <summary>
    /// At most once per poll interval, and only with an SMS channel configured: every send whose fallback deadline passed
    /// without a delivered status sends its code by SMS (cause <c>not_delivered_in_time</c>). The SMS sends it queues
    /// are due at once, so the same pass's claim takes them.
    /// </summary>
    private async Task FallBackIfDueAsync(long now, CancellationToken cancellationToken)
    {
        if (!fallback.Available || now < _fallbacksAt)
        {
            return;
        }

        _fallbacksAt = now + VerificationService.Ms(_options.Dispatch.PollInterval);
        await FallBackDueAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the sends whose deadline passed, in batches, and falls back for each in the same transaction as the take:
    /// of two dispatchers (two instances on PostgreSQL) exactly one takes each send, so no code goes by SMS twice.
    /// Returns how many SMS were queued.
    /// </summary>
    internal async Task<int> FallBackDueAsync(CancellationToken cancellationToken)
    {
        var queued = 0;
        while (true)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var scope = await database.BeginWriteAsync(cancellationToken);
            var due = await OutboxStore.ClaimDueFallbacksAsync(scope, now, FallbackBatch);
            foreach (var send in due)
            {
                var waited = Math.Ceiling((now - (send.AcceptedAt ?? now)) / 1000.0);
                queued += await fallback.TryAsync(scope, send.VerificationId, FallbackCause.NotDeliveredInTime,
                    $"no delivered status {waited} s after WhatsApp accepted the message", now) ? 1 : 0;
            }

            await scope.CommitAsync(cancellationToken);
            if (due.Count < FallbackBatch)
            {
                return queued;
            }
        }
    }
}

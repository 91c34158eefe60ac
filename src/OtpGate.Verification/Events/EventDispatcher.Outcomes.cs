using Microsoft.Extensions.Logging;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

public sealed partial class EventDispatcher
{
    /// <summary>
    /// Records an attempt and what follows, in one transaction: 2xx delivered; 410 disables the endpoint (its open
    /// deliveries wait for it to be enabled again); anything else is retried on the schedule, and fails for good when
    /// the schedule is spent; an endpoint with no success since a failure <see cref="EventOptions.DisableAfter"/> ago is
    /// disabled.
    /// </summary>
    private async Task RecordAsync(EndpointRow endpoint, ClaimedDelivery delivery, AttemptOutcome outcome)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string result;
        string? disabledReason = null;
        await using (var scope = await _database.BeginWriteAsync(CancellationToken.None))
        {
            var error = outcome.Succeeded ? null : outcome.Error ?? $"answered {outcome.StatusCode}";
            await EventStore.AddAttemptAsync(scope, delivery.Id, now, outcome.StatusCode, outcome.LatencyMs, error);
            if (outcome.Succeeded)
            {
                result = "delivered";
                await EventStore.FinishAsync(scope, delivery.Id, delivery.Claim, "delivered", outcome.StatusCode, null, now);
                await EventEndpointStore.MarkSucceededAsync(scope, endpoint.Id);
            }
            else if (outcome.StatusCode == 410)
            {
                result = "gone";
                await EventStore.RescheduleAsync(scope, delivery.Id, delivery.Claim, now, outcome.StatusCode, "410 Gone: the endpoint is disabled");
                disabledReason = await EventEndpointStore.DisableAsync(scope, endpoint.Id, "the endpoint answered 410 Gone", now) ? "gone" : null;
            }
            else
            {
                var schedule = _options.EffectiveRetrySchedule;
                if (delivery.Tries > schedule.Count)
                {
                    result = "failed";
                    await EventStore.FinishAsync(scope, delivery.Id, delivery.Claim, "failed", outcome.StatusCode, error, now);
                }
                else
                {
                    result = "retry";
                    await EventStore.RescheduleAsync(scope, delivery.Id, delivery.Claim, now + RetryDelayMs(schedule[(int)delivery.Tries - 1]), outcome.StatusCode, error);
                }

                var failingSince = await EventEndpointStore.MarkFailingAsync(scope, endpoint.Id, now);
                if (now - failingSince >= (long)_options.DisableAfter.TotalMilliseconds
                    && await EventEndpointStore.DisableAsync(scope, endpoint.Id, $"no successful delivery for {_options.DisableAfter.TotalHours:0.#} hours", now))
                {
                    disabledReason = "failing";
                }
            }

            await scope.CommitAsync(CancellationToken.None);
        }

        _metrics.Attempt(endpoint.Id, result);
        if (disabledReason is not null)
        {
            _metrics.Disabled(endpoint.Id, disabledReason);
            LogEndpointDisabled(_logger, endpoint.Id, disabledReason == "gone" ? "it answered 410 Gone" : $"no delivery succeeded for {_options.DisableAfter}");
        }
        else if (result == "failed")
        {
            LogDeliveryGaveUp(_logger, delivery.EventId, endpoint.Id, delivery.Tries);
        }
    }

    /// <summary>A wait from the schedule, lengthened by up to a fifth at random so that retries after an outage spread out.</summary>
    private static long RetryDelayMs(TimeSpan wait) => (long)(wait.TotalMilliseconds * (1 + System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 1_000_001) / 5_000_000.0));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event endpoint {Endpoint} is disabled: {Reason}. Its events wait; enable it with `otpgate events endpoints enable {Endpoint}` once it is fixed")]
    private static partial void LogEndpointDisabled(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} was not delivered to endpoint {Endpoint} after {Tries} attempts; it is given up")]
    private static partial void LogDeliveryGaveUp(ILogger logger, string eventId, string endpoint, long tries);
}

using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

/// <summary>An event raised, with where it stands at each endpoint.</summary>
public sealed record EventSummary(string EventId, string Type, string VerificationId, string Service, DateTimeOffset CreatedAt, IReadOnlyList<EventDeliveryState> Deliveries);

/// <summary>An event's delivery to one endpoint: pending, claimed, delivered or failed; its tries and last answer.</summary>
public sealed record EventDeliveryState(string Endpoint, string State, int Tries, int? LastStatus, string? LastError, DateTimeOffset? DoneAt);

/// <summary>One attempt: the event, the endpoint, when, the answer's status code (none for a timeout or a refused connection), latency, error.</summary>
public sealed record EventAttempt(string EventId, string Type, string VerificationId, string Endpoint, DateTimeOffset At, int? StatusCode, long LatencyMs, string? Error);

/// <summary>An event as raised: its webhook-id and its body, exactly as endpoints get it.</summary>
public sealed record StreamedEvent(string EventId, string Payload);

/// <summary>Seeing and replaying: events with their deliveries, attempts per event or per endpoint, and replay.</summary>
public sealed class EventHistory(Database database, TimeProvider time)
{
    public const int MaxLimit = 500;

    /// <summary>The latest events (of one verification, when given), newest first, each with its deliveries.</summary>
    public async Task<IReadOnlyList<EventSummary>> ListAsync(string? verificationId, int limit, CancellationToken cancellationToken)
    {
        var events = await EventHistoryStore.ListEventsAsync(database, verificationId, Math.Clamp(limit, 1, MaxLimit), cancellationToken);
        if (events.Count == 0)
        {
            return [];
        }

        var deliveries = (await EventHistoryStore.DeliveriesAsync(database, events[^1].Id, events[0].Id, cancellationToken)).ToLookup(d => d.EventRow);
        return [.. events.Select(e => new EventSummary(e.EventId, e.Type, e.VerificationId, e.ServiceId, Time(e.CreatedAt),
            [.. deliveries[e.Id].Select(d => new EventDeliveryState(d.EndpointId, d.State, (int)d.Tries, (int?)d.LastStatus, d.LastError, d.DoneAt is { } done ? Time(done) : null))]))];
    }

    /// <summary>Attempts newest first, of one event (its webhook-id) or to one endpoint.</summary>
    public async Task<IReadOnlyList<EventAttempt>> AttemptsAsync(string? eventId, string? endpointId, int limit, CancellationToken cancellationToken) =>
        [.. (await EventHistoryStore.AttemptsAsync(database, eventId, endpointId, Math.Clamp(limit, 1, MaxLimit), cancellationToken))
            .Select(a => new EventAttempt(a.EventId, a.Type, a.VerificationId, a.EndpointId, Time(a.AttemptedAt), (int?)a.StatusCode, a.LatencyMs, a.Error))];

    /// <summary>
    /// Delivers again one event (its webhook-id) or every event raised since <paramref name="since"/>, to every enabled
    /// endpoint that wants it or to <paramref name="endpointId"/>, with the same webhook-id; returns the deliveries queued.
    /// </summary>
    public Task<int> ReplayAsync(string? eventId, DateTimeOffset? since, string? endpointId, CancellationToken cancellationToken) =>
        EventHistoryStore.ReplayAsync(database, eventId, since?.ToUnixTimeMilliseconds(), endpointId, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>
    /// Every event raised from now on, by any instance, as it is committed (read back every
    /// <paramref name="pollInterval"/>): what <c>otpgate events listen</c> forwards to a developer's receiver.
    /// </summary>
    public async IAsyncEnumerable<StreamedEvent> FollowAsync(TimeSpan pollInterval, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (_, last) = await EventHistoryStore.AfterAsync(database, null, 0, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var (events, next) = await EventHistoryStore.AfterAsync(database, last, 100, cancellationToken);
            last = next;
            foreach (var raised in events)
            {
                yield return new StreamedEvent(raised.EventId, raised.Payload);
            }

            if (events.Count < 100)
            {
                await Task.Delay(pollInterval, time, cancellationToken);
            }
        }
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}

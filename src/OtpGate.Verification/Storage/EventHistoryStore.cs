using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>The SQL that reads events, their deliveries and attempts back, and that queues events again (replay).</summary>
internal static class EventHistoryStore
{
    public static async Task<IReadOnlyList<RaisedEventRow>> ListEventsAsync(Database database, string? verificationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RaisedEventRow>("""
            SELECT id, event_id, type, verification_id, service_id, created_at FROM events
            WHERE (@verificationId IS NULL OR verification_id = @verificationId)
            ORDER BY id DESC LIMIT @limit
            """, new { verificationId, limit })).ToList();
    }

    public static async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(Database database, long firstEventRow, long lastEventRow, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeliveryRow>("""
            SELECT event_row, endpoint_id, state, tries, last_status, last_error, done_at FROM event_deliveries
            WHERE event_row BETWEEN @firstEventRow AND @lastEventRow ORDER BY id
            """, new { firstEventRow, lastEventRow })).ToList();
    }

    /// <summary>Attempts, newest first: of one event (by its webhook-id), or to one endpoint.</summary>
    public static async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(Database database, string? eventId, string? endpointId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttemptRow>("""
            SELECT e.event_id, e.type, e.verification_id, d.endpoint_id, a.attempted_at, a.status_code, a.latency_ms, a.error
            FROM event_attempts a JOIN event_deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_row
            WHERE (@eventId IS NULL OR e.event_id = @eventId) AND (@endpointId IS NULL OR d.endpoint_id = @endpointId)
            ORDER BY a.id DESC LIMIT @limit
            """, new { eventId, endpointId, limit })).ToList();
    }

    /// <summary>The events raised after the one numbered <paramref name="afterRow"/> (all, from 0), oldest first, with their bodies; and the last number so far when <paramref name="afterRow"/> is null.</summary>
    public static async Task<(IReadOnlyList<StreamedEventRow> Events, long Last)> AfterAsync(Database database, long? afterRow, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (afterRow is null)
        {
            return ([], await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM events") ?? 0);
        }

        var events = (await connection.QueryAsync<StreamedEventRow>(
            "SELECT id, event_id, payload FROM events WHERE id > @afterRow ORDER BY id LIMIT @limit", new { afterRow, limit })).ToList();
        return (events, events.Count > 0 ? events[^1].Id : afterRow.Value);
    }

    /// <summary>
    /// Queues again, due now with its tries reset, the delivery of each event chosen (one by its webhook-id, or every
    /// one raised since a time) to each enabled endpoint that wants it (or the one named): a finished delivery is
    /// reopened, a missing one (an endpoint added since) is made, an open one is left as it is. Returns how many.
    /// </summary>
    public static async Task<int> ReplayAsync(Database database, string? eventId, long? since, string? endpointId, long now, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var queued = await scope.Connection.ExecuteAsync("""
            INSERT INTO event_deliveries (event_row, endpoint_id, verification_id, state, due_at, tries, created_at)
            SELECT e.id, p.id, e.verification_id, 'pending', @now, 0, @now
            FROM events e JOIN event_endpoints p
              ON p.state = 'enabled' AND (p.service_id IS NULL OR p.service_id = e.service_id) AND (p.types IS NULL OR p.types LIKE '%,' || e.type || ',%')
            WHERE (@eventId IS NULL OR e.event_id = @eventId) AND (@since IS NULL OR e.created_at >= @since) AND (@endpointId IS NULL OR p.id = @endpointId)
            ON CONFLICT (event_row, endpoint_id) DO UPDATE SET state = 'pending', due_at = @now, tries = 0, locked_until = NULL, locked_by = NULL, done_at = NULL
            WHERE event_deliveries.state NOT IN ('pending', 'claimed')
            """, new { eventId, since, endpointId, now }, scope.Transaction);
        if (queued > 0)
        {
            scope.MarkEventRaised();
        }

        await scope.CommitAsync(cancellationToken);
        return queued;
    }
}

internal sealed class RaisedEventRow
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string VerificationId { get; set; } = "";
    public string ServiceId { get; set; } = "";
    public long CreatedAt { get; set; }
}

internal sealed class StreamedEventRow
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string Payload { get; set; } = "";
}

internal sealed class DeliveryRow
{
    public long EventRow { get; set; }
    public string EndpointId { get; set; } = "";
    public string State { get; set; } = "";
    public long Tries { get; set; }
    public long? LastStatus { get; set; }
    public string? LastError { get; set; }
    public long? DoneAt { get; set; }
}

internal sealed class AttemptRow
{
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string VerificationId { get; set; } = "";
    public string EndpointId { get; set; } = "";
    public long AttemptedAt { get; set; }
    public long? StatusCode { get; set; }
    public long LatencyMs { get; set; }
    public string? Error { get; set; }
}

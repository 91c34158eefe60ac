using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The SQL of <c>events</c> and <c>event_deliveries</c>: an event and its deliveries written in the caller's
/// transaction, and the deliveries as a job queue (claimed per endpoint with a lease, in order per verification).
/// </summary>
internal static class EventStore
{
    public static Task<long> InsertAsync(WriteScope scope, string eventId, string type, string verificationId, string serviceId, string payload, long now) =>
        scope.Connection.ExecuteScalarAsync<long>("""
            INSERT INTO events (event_id, type, verification_id, service_id, payload, created_at)
            VALUES (@eventId, @type, @verificationId, @serviceId, @payload, @now)
            RETURNING id
            """, new { eventId, type, verificationId, serviceId, payload, now }, scope.Transaction);

    /// <summary>One delivery per enabled endpoint of the event's service (or of every service) whose types include it; returns how many.</summary>
    public static Task<int> FanOutAsync(WriteScope scope, long eventRow, string type, string verificationId, string serviceId, long now) =>
        scope.Connection.ExecuteAsync("""
            INSERT INTO event_deliveries (event_row, endpoint_id, verification_id, state, due_at, tries, created_at)
            SELECT @eventRow, id, @verificationId, 'pending', @now, 0, @now FROM event_endpoints
            WHERE state = 'enabled' AND (service_id IS NULL OR service_id = @serviceId) AND (types IS NULL OR types LIKE @typePattern)
            """, new { eventRow, verificationId, serviceId, now, typePattern = "%," + type + ",%" }, scope.Transaction);

    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries to one endpoint (and those whose lease ran out: their instance
    /// died), each only when no earlier delivery of its verification to that endpoint is still open, with what sending
    /// it needs. <paramref name="claim"/> names this claim alone (the instance and a number of its own), so the rows read
    /// back are exactly the ones it took, never an earlier claim's still in flight.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        Database database, string endpointId, string claim, int max, long now, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var claimed = await scope.Connection.ExecuteAsync(ClaimSql(database.Dialect), new { endpointId, claim, max, now, leaseUntil }, scope.Transaction);
        IReadOnlyList<ClaimedDelivery> deliveries = [];
        if (claimed > 0)
        {
            deliveries = (await scope.Connection.QueryAsync<ClaimedDelivery>("""
                SELECT d.id, d.endpoint_id, d.verification_id, d.tries, d.locked_by AS claim, e.event_id, e.type, e.payload
                FROM event_deliveries d JOIN events e ON e.id = d.event_row
                WHERE d.endpoint_id = @endpointId AND d.state IN ('pending', 'claimed') AND d.state = 'claimed'
                  AND d.locked_by = @claim
                ORDER BY d.id
                """, new { endpointId, claim }, scope.Transaction)).ToList();
        }

        await scope.CommitAsync(cancellationToken);
        return deliveries;
    }

    // The partial indexes' condition (state IN ('pending', 'claimed')) is repeated so SQLite uses them.
    internal static string ClaimSql(SqlDialect dialect) => $"""
        UPDATE event_deliveries SET state = 'claimed', locked_until = @leaseUntil, locked_by = @claim, tries = tries + 1
        WHERE id IN (
            SELECT d.id FROM event_deliveries d
            WHERE d.endpoint_id = @endpointId AND d.state IN ('pending', 'claimed')
              AND ((d.state = 'pending' AND d.due_at <= @now) OR (d.state = 'claimed' AND d.locked_until <= @now))
              AND NOT EXISTS (SELECT 1 FROM event_deliveries earlier
                              WHERE earlier.endpoint_id = d.endpoint_id AND earlier.verification_id = d.verification_id
                                AND earlier.state IN ('pending', 'claimed') AND earlier.id < d.id)
            ORDER BY d.id
            LIMIT @max {dialect.ClaimLockSuffix})
        """;

    /// <summary>Makes every claimed delivery claimable now: at start-up on SQLite, where the claims of an earlier run are a dead process's.</summary>
    public static async Task ReleaseAllClaimsAsync(Database database, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        await scope.Connection.ExecuteAsync("UPDATE event_deliveries SET locked_until = 0 WHERE state = 'claimed'", transaction: scope.Transaction);
        await scope.CommitAsync(cancellationToken);
    }

    public static Task AddAttemptAsync(WriteScope scope, long deliveryId, long now, int? statusCode, long latencyMs, string? error) =>
        scope.Connection.ExecuteAsync("""
            INSERT INTO event_attempts (delivery_id, attempted_at, status_code, latency_ms, error)
            VALUES (@deliveryId, @now, @statusCode, @latencyMs, @error)
            """, new { deliveryId, now, statusCode, latencyMs, error }, scope.Transaction);

    // The outcome is written only while the delivery is still this claim's: one whose lease ran out (it took longer
    // than the lease) has been taken over, and the claim that took it over writes its own.

    /// <summary>Ends a delivery: <c>delivered</c>, or <c>failed</c> when its retries are spent.</summary>
    public static Task FinishAsync(WriteScope scope, long deliveryId, string claim, string state, int? statusCode, string? error, long now) =>
        scope.Connection.ExecuteAsync("""
            UPDATE event_deliveries SET state = @state, locked_until = NULL, last_status = @statusCode, last_error = @error, done_at = @now
            WHERE id = @deliveryId AND state = 'claimed' AND locked_by = @claim
            """, new { deliveryId, claim, state, statusCode, error, now }, scope.Transaction);

    /// <summary>Puts a delivery back in the queue, due at <paramref name="dueAt"/>.</summary>
    public static Task RescheduleAsync(WriteScope scope, long deliveryId, string claim, long dueAt, int? statusCode, string? error) =>
        scope.Connection.ExecuteAsync("""
            UPDATE event_deliveries SET state = 'pending', due_at = @dueAt, locked_until = NULL, last_status = @statusCode, last_error = @error
            WHERE id = @deliveryId AND state = 'claimed' AND locked_by = @claim
            """, new { deliveryId, claim, dueAt, statusCode, error }, scope.Transaction);

    /// <summary>
    /// Deletes the events raised before <paramref name="before"/> that have no delivery left to make, with their
    /// deliveries and attempts; returns how many events went.
    /// </summary>
    public static async Task<int> PurgeAsync(WriteScope scope, long before)
    {
        await scope.Connection.ExecuteAsync("""
            DELETE FROM event_attempts WHERE delivery_id IN (
                SELECT d.id FROM event_deliveries d JOIN events e ON e.id = d.event_row
                WHERE e.created_at < @before AND d.state NOT IN ('pending', 'claimed'))
            """, new { before }, scope.Transaction);
        await scope.Connection.ExecuteAsync("""
            DELETE FROM event_deliveries
            WHERE state NOT IN ('pending', 'claimed') AND event_row IN (SELECT id FROM events WHERE created_at < @before)
            """, new { before }, scope.Transaction);
        return await scope.Connection.ExecuteAsync("""
            DELETE FROM events
            WHERE created_at < @before AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_row = events.id)
            """, new { before }, scope.Transaction);
    }

    /// <summary>How many deliveries are still to be made (pending or claimed), for tests, tools and the crash host.</summary>
    public static async Task<long> CountOpenAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state IN ('pending', 'claimed')");
    }
}

/// <summary>A delivery claimed for sending: the endpoint, and the event as it is sent (its id and body).</summary>
internal sealed class ClaimedDelivery
{
    public long Id { get; set; }
    public string EndpointId { get; set; } = "";
    public string VerificationId { get; set; } = "";
    public long Tries { get; set; }

    /// <summary>The claim that took it: its outcome is written only while the claim is still this one.</summary>
    public string Claim { get; set; } = "";
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string Payload { get; set; } = "";
}

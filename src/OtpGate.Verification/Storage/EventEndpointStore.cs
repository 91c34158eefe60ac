using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>The SQL of <c>event_endpoints</c>: where events go, their encrypted secrets, and whether they are enabled.</summary>
internal static class EventEndpointStore
{
    private const string Columns = """
        id, url, service_id, types, secret_key_id, secret_cipher, previous_secret_key_id, previous_secret_cipher, previous_until,
        state, disabled_reason, failing_since, source, created_at, updated_at
        """;

    public static async Task<IReadOnlyList<EndpointRow>> ListAsync(Database database, bool enabledOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM event_endpoints {(enabledOnly ? "WHERE state = 'enabled'" : "")} ORDER BY id";
        return (await connection.QueryAsync<EndpointRow>(sql)).ToList();
    }

    public static Task<EndpointRow?> FindAsync(WriteScope scope, string id) =>
        scope.Connection.QuerySingleOrDefaultAsync<EndpointRow>(
            $"SELECT {Columns} FROM event_endpoints WHERE id = @id {scope.Dialect.RowLockSuffix}", new { id }, scope.Transaction);

    /// <summary>Adds an endpoint; false when one of that id exists.</summary>
    public static async Task<bool> InsertAsync(WriteScope scope, EndpointRow row) =>
        await scope.Connection.ExecuteAsync($"""
            INSERT INTO event_endpoints ({Columns})
            VALUES (@Id, @Url, @ServiceId, @Types, @SecretKeyId, @SecretCipher, @PreviousSecretKeyId, @PreviousSecretCipher, @PreviousUntil,
                    @State, @DisabledReason, @FailingSince, @Source, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id) DO NOTHING
            """, row, scope.Transaction) == 1;

    /// <summary>Writes an endpoint's settings (a configured one at start, or a rotation or re-enabling).</summary>
    public static Task UpdateAsync(WriteScope scope, EndpointRow row) =>
        scope.Connection.ExecuteAsync("""
            UPDATE event_endpoints SET url = @Url, service_id = @ServiceId, types = @Types, secret_key_id = @SecretKeyId, secret_cipher = @SecretCipher,
                previous_secret_key_id = @PreviousSecretKeyId, previous_secret_cipher = @PreviousSecretCipher, previous_until = @PreviousUntil,
                state = @State, disabled_reason = @DisabledReason, failing_since = @FailingSince, source = @Source, updated_at = @UpdatedAt
            WHERE id = @Id
            """, row, scope.Transaction);

    public static async Task<bool> DeleteAsync(WriteScope scope, string id)
    {
        // Its deliveries still to be made go with it: nothing else would ever make them.
        await scope.Connection.ExecuteAsync(
            "DELETE FROM event_deliveries WHERE endpoint_id = @id AND state IN ('pending', 'claimed')", new { id }, scope.Transaction);
        return await scope.Connection.ExecuteAsync("DELETE FROM event_endpoints WHERE id = @id", new { id }, scope.Transaction) == 1;
    }

    /// <summary>A success: the endpoint is no longer failing.</summary>
    public static Task MarkSucceededAsync(WriteScope scope, string id) =>
        scope.Connection.ExecuteAsync(
            "UPDATE event_endpoints SET failing_since = NULL WHERE id = @id AND failing_since IS NOT NULL", new { id }, scope.Transaction);

    /// <summary>A failure: the endpoint is failing since now unless it already was; returns since when.</summary>
    public static Task<long> MarkFailingAsync(WriteScope scope, string id, long now) =>
        scope.Connection.ExecuteScalarAsync<long>("""
            UPDATE event_endpoints SET failing_since = COALESCE(failing_since, @now) WHERE id = @id
            RETURNING failing_since
            """, new { id, now }, scope.Transaction);

    /// <summary>Disables an enabled endpoint with the reason; false when it was not enabled (already disabled, or gone).</summary>
    public static async Task<bool> DisableAsync(WriteScope scope, string id, string reason, long now) =>
        await scope.Connection.ExecuteAsync("""
            UPDATE event_endpoints SET state = 'disabled', disabled_reason = @reason, updated_at = @now
            WHERE id = @id AND state = 'enabled'
            """, new { id, reason, now }, scope.Transaction) == 1;
}

/// <summary>A row of <c>event_endpoints</c>, as Dapper reads it (times in epoch milliseconds).</summary>
internal sealed class EndpointRow
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string? ServiceId { get; set; }
    public string? Types { get; set; }
    public string SecretKeyId { get; set; } = "";
    public byte[] SecretCipher { get; set; } = [];
    public string? PreviousSecretKeyId { get; set; }
    public byte[]? PreviousSecretCipher { get; set; }
    public long? PreviousUntil { get; set; }
    public string State { get; set; } = "";
    public string? DisabledReason { get; set; }
    public long? FailingSince { get; set; }
    public string Source { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

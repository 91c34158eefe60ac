using System.Data.Common;
using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>A row of the <c>services</c> table (migration 0007), as Dapper reads it; times in epoch milliseconds, settings as JSON.</summary>
internal sealed class ServiceRow
{
    public string Id { get; set; } = "";
    public string Sid { get; set; } = "";
    public string FriendlyName { get; set; } = "";
    public string Settings { get; set; } = "";
    public string Source { get; set; } = "";
    public long Version { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>The SQL of the <c>services</c> table. Every change adds one to the row's <c>version</c>.</summary>
internal static class ServiceStore
{
    private const string Columns = "id AS Id, sid AS Sid, friendly_name AS FriendlyName, settings AS Settings, source AS Source, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public static Task<ServiceRow?> FindAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ServiceRow>($"SELECT {Columns} FROM services WHERE id = @id", new { id }, transaction);

    /// <summary>The service whose Twilio-shaped sid (<c>VA…</c>) this is, for the <c>/v2</c> surface.</summary>
    public static Task<ServiceRow?> FindBySidAsync(DbConnection connection, string sid, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ServiceRow>($"SELECT {Columns} FROM services WHERE sid = @sid", new { sid }, transaction);

    /// <summary>Only the version: what an operation reads in its own transaction to know whether its cached settings are current.</summary>
    public static Task<long?> FindVersionAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<long?>("SELECT version FROM services WHERE id = @id", new { id }, transaction);

    public static async Task<IReadOnlyList<ServiceRow>> ListAsync(DbConnection connection) =>
        [.. await connection.QueryAsync<ServiceRow>($"SELECT {Columns} FROM services ORDER BY id")];

    /// <summary>Creates the service; false, with nothing written, when one has this id already.</summary>
    public static async Task<bool> InsertAsync(WriteScope scope, ServiceRow row) =>
        await scope.Connection.ExecuteAsync("""
            INSERT INTO services (id, sid, friendly_name, settings, source, version, created_at, updated_at)
            VALUES (@Id, @Sid, @FriendlyName, @Settings, @Source, 1, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id) DO NOTHING
            """, row, scope.Transaction) == 1;

    /// <summary>
    /// Writes a service declared in configuration: created with <paramref name="row"/>'s sid if new, otherwise its name,
    /// settings and source replaced and its version raised, only when one of them differs (so instances starting
    /// together with the same configuration do not raise it each). True when something changed.
    /// </summary>
    public static async Task<bool> UpsertAsync(WriteScope scope, ServiceRow row) =>
        await scope.Connection.ExecuteAsync("""
            INSERT INTO services (id, sid, friendly_name, settings, source, version, created_at, updated_at)
            VALUES (@Id, @Sid, @FriendlyName, @Settings, @Source, 1, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id) DO UPDATE
            SET friendly_name = excluded.friendly_name, settings = excluded.settings, source = excluded.source,
                version = services.version + 1, updated_at = excluded.updated_at
            WHERE services.friendly_name <> excluded.friendly_name OR services.settings <> excluded.settings OR services.source <> excluded.source
            """, row, scope.Transaction) == 1;

    /// <summary>Replaces the name and settings of an existing service; false when there is none with this id.</summary>
    public static async Task<bool> UpdateAsync(WriteScope scope, string id, string friendlyName, string settings, long now) =>
        await scope.Connection.ExecuteAsync("""
            UPDATE services SET friendly_name = @friendlyName, settings = @settings, version = version + 1, updated_at = @now
            WHERE id = @id
            """, new { id, friendlyName, settings, now }, scope.Transaction) == 1;

    public static async Task<bool> DeleteAsync(WriteScope scope, string id) =>
        await scope.Connection.ExecuteAsync("DELETE FROM services WHERE id = @id", new { id }, scope.Transaction) == 1;

    /// <summary>Whether any verification of the service is still pending (such a service is not deleted).</summary>
    public static async Task<bool> HasPendingAsync(WriteScope scope, string id) =>
        await scope.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM verifications WHERE service_id = @id AND status = 'pending'", new { id }, scope.Transaction) > 0;
}

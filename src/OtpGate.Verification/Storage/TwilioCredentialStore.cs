using System.Data.Common;
using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>A row of <c>twilio_credentials</c> (migration 0008), as Dapper reads it; the time in epoch milliseconds.</summary>
internal sealed class TwilioCredentialRow
{
    public string Sid { get; set; } = "";
    public string AccountSid { get; set; } = "";
    public string? ServiceId { get; set; }
    public string FriendlyName { get; set; } = "";
    public string SecretSha256 { get; set; } = "";
    public long CreatedAt { get; set; }
}

/// <summary>The SQL of the <c>twilio_credentials</c> table.</summary>
internal static class TwilioCredentialStore
{
    private const string Columns = "sid AS Sid, account_sid AS AccountSid, service_id AS ServiceId, friendly_name AS FriendlyName, secret_sha256 AS SecretSha256, created_at AS CreatedAt";

    public static Task<TwilioCredentialRow?> FindAsync(DbConnection connection, string sid, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<TwilioCredentialRow>($"SELECT {Columns} FROM twilio_credentials WHERE sid = @sid", new { sid }, transaction);

    /// <summary>Every credential, or those acting in one service; accounts before their keys, oldest first.</summary>
    public static async Task<IReadOnlyList<TwilioCredentialRow>> ListAsync(DbConnection connection, string? serviceId) =>
        // An account is created before its keys, so ordering by time within the account lists it first.
        [.. serviceId is null
            ? await connection.QueryAsync<TwilioCredentialRow>($"SELECT {Columns} FROM twilio_credentials ORDER BY account_sid, created_at, sid")
            : await connection.QueryAsync<TwilioCredentialRow>($"SELECT {Columns} FROM twilio_credentials WHERE service_id = @serviceId ORDER BY account_sid, created_at, sid", new { serviceId })];

    public static Task InsertAsync(WriteScope scope, TwilioCredentialRow row) => scope.Connection.ExecuteAsync("""
        INSERT INTO twilio_credentials (sid, account_sid, service_id, friendly_name, secret_sha256, created_at)
        VALUES (@Sid, @AccountSid, @ServiceId, @FriendlyName, @SecretSha256, @CreatedAt)
        """, row, scope.Transaction);

    /// <summary>Deletes a key, or an account with all its keys; how many rows went.</summary>
    public static Task<int> DeleteAsync(WriteScope scope, string sid) =>
        scope.Connection.ExecuteAsync("DELETE FROM twilio_credentials WHERE sid = @sid OR account_sid = @sid", new { sid }, scope.Transaction);
}

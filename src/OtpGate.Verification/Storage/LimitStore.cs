using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Sliding-window limits counted in the database (table <c>limit_events</c>), so they hold across restarts and
/// instances. Counting and recording happen in the caller's write transaction: a refused request records nothing.
/// </summary>
internal static class LimitStore
{
    /// <summary>When the window holds <paramref name="max"/> events or more, the time at which it will hold one fewer; else null.</summary>
    public static async Task<long?> FullUntilAsync(WriteScope scope, string limitScope, int max, long windowStart, long windowLength)
    {
        await LockAsync(scope, limitScope);

        var count = await scope.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM limit_events WHERE scope = @limitScope AND at > @windowStart",
            new { limitScope, windowStart }, scope.Transaction);
        if (count < max)
        {
            return null;
        }

        // The window frees a place when the oldest event that keeps it full slides out.
        var blocking = await scope.Connection.ExecuteScalarAsync<long>(
            "SELECT at FROM limit_events WHERE scope = @limitScope AND at > @windowStart ORDER BY at LIMIT 1 OFFSET @offset",
            new { limitScope, windowStart, offset = count - max }, scope.Transaction);
        return blocking + windowLength;
    }

    /// <summary>Makes concurrent transactions (of any instance) that touch <paramref name="key"/> take turns; a no-op where writers are serialised anyway.</summary>
    public static async Task LockAsync(WriteScope scope, string key, bool shared = false)
    {
        if (scope.Dialect.AdvisoryLocks)
        {
            await scope.Connection.ExecuteAsync(shared ? scope.Dialect.LockScopeSharedSql : scope.Dialect.LockScopeSql, new { scope = key }, scope.Transaction);
        }
    }

    /// <summary>A phone's failed checks and one starter's (with its latest) in the window, in one statement.</summary>
    public static Task<FailureCounts> CountFailuresAsync(WriteScope scope, string phoneScope, string starterScope, long windowStart) =>
        scope.Connection.QuerySingleAsync<FailureCounts>("""
            SELECT (SELECT COUNT(*) FROM limit_events WHERE scope = @phoneScope AND at > @windowStart) AS phone,
                   (SELECT COUNT(*) FROM limit_events WHERE scope = @starterScope AND at > @windowStart) AS starter,
                   (SELECT MAX(at) FROM limit_events WHERE scope = @starterScope AND at > @windowStart) AS starter_last
            """, new { phoneScope, starterScope, windowStart }, scope.Transaction);

    /// <summary>Records one event under each of two scopes, in one statement.</summary>
    public static Task RecordBothAsync(WriteScope scope, string first, string second, string? verificationId, long now) =>
        scope.Connection.ExecuteAsync(
            "INSERT INTO limit_events (scope, at, verification_id) VALUES (@first, @now, @verificationId), (@second, @now, @verificationId)",
            new { first, second, now, verificationId }, scope.Transaction);

    public static Task ClearAsync(WriteScope scope, string limitScope) =>
        scope.Connection.ExecuteAsync("DELETE FROM limit_events WHERE scope = @limitScope", new { limitScope }, scope.Transaction);

    public static Task<long> RecordAsync(WriteScope scope, string limitScope, string? verificationId, long now) =>
        scope.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO limit_events (scope, at, verification_id) VALUES (@limitScope, @now, @verificationId) RETURNING id",
            new { limitScope, now, verificationId }, scope.Transaction);

    public static Task<int> PurgeAsync(WriteScope scope, long olderThan) =>
        scope.Connection.ExecuteAsync("DELETE FROM limit_events WHERE at <= @olderThan", new { olderThan }, scope.Transaction);
}

/// <summary>What <see cref="LimitStore.CountFailuresAsync"/> reads.</summary>
internal sealed class FailureCounts
{
    public long Phone { get; set; }
    public long Starter { get; set; }
    public long? StarterLast { get; set; }
}

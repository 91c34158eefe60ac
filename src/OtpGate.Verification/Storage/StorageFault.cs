using Microsoft.Data.Sqlite;
using Npgsql;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Tells a failure of the storage's environment (a read-only or full disk, an I/O error, a database that cannot be
/// reached) from a bug (bad SQL, a violated constraint). The first heals by itself and is answered "try again later";
/// the second is an internal error. The one place that decides it.
/// </summary>
public static class StorageFault
{
    /// <summary>How long callers are told to wait before trying again while writes fail.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>True when <paramref name="exception"/> (or what it wraps) is the storage being unavailable, not a bug.</summary>
    public static bool IsUnavailable(Exception exception) => FindCause(exception) is not null;

    /// <summary>
    /// True when <paramref name="exception"/> is a wait for a pooled PostgreSQL connection that ran out of time: every
    /// connection is busy with other requests. The storage is fine; this instance has more work than connections.
    /// Answered "busy, try again in a moment", never taken as a fault: under a spike, counting it as one would mark
    /// every instance not ready at once and empty the load balancer.
    /// </summary>
    public static bool IsOverloaded(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // Npgsql's pool answers an exhausted wait with its own exception around a TimeoutException; a PostgresException
            // is the server's answer, and a timed-out connect to a dead server carries a socket error instead.
            if (current is NpgsqlException and not PostgresException && current.InnerException is TimeoutException
                && current.Message.Contains("pool", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The storage exception that makes <paramref name="exception"/> a storage fault, or null for any other failure.</summary>
    public static Exception? FindCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case StorageUnavailableException:
                    return current.InnerException is { } inner ? FindCause(inner) ?? current : current;
                case SqliteException sqlite when IsEnvironment(sqlite):
                case NpgsqlException npgsql when IsEnvironment(npgsql):
                    return current;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Select(FindCause).FirstOrDefault(cause => cause is not null);
            }
        }

        return null;
    }

    /// <summary>A short reason for logs and readiness, e.g. "attempt to write a readonly database (SQLite error 8)".</summary>
    public static string Describe(Exception exception) => (FindCause(exception) ?? exception) switch
    {
        SqliteException e => $"{Quoted(e.Message)} (SQLite error {e.SqliteErrorCode & 0xFF})",
        PostgresException e => $"{e.MessageText} (PostgreSQL {e.SqlState})",
        NpgsqlException { InnerException: { } inner } e => $"{e.Message}: {inner.Message}",
        var e => e.Message,
    };

    private static bool IsEnvironment(SqliteException exception) => (exception.SqliteErrorCode & 0xFF) switch
    {
        // PERM, BUSY and LOCKED (after the busy timeout), READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB:
        // the file, its folder, its disk or another process, never the SQL.
        3 or 5 or 6 or 8 or 10 or 11 or 13 or 14 or 15 or 26 => true,
        _ => false,
    };

    private static bool IsEnvironment(NpgsqlException exception) => exception switch
    {
        // Connection lost or refused (08), out of disk or connections (53), shut down or restarting (57P), an I/O
        // error (58), a standby that refuses writes (25006), a database that does not exist (3D000), a login refused (28).
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState.StartsWith("53", StringComparison.Ordinal)
            || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || e.SqlState.StartsWith("58", StringComparison.Ordinal)
            || e.SqlState.StartsWith("28", StringComparison.Ordinal)
            || e.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InvalidCatalogName,
        // Npgsql's own exceptions are about the connection (refused, broken, timed out, pool exhausted), never the SQL.
        _ => true,
    };

    // Microsoft.Data.Sqlite's message is "SQLite Error 8: 'attempt to write a readonly database'."; the quoted part says it.
    private static string Quoted(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }
}

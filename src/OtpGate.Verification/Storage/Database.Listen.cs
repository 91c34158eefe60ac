using Npgsql;

namespace OtpGate.Verification.Storage;

public sealed partial class Database
{
    /// <summary>
    /// Listens on <paramref name="channel"/> until cancelled (only where <see cref="SqlDialect.Notifications"/>):
    /// <paramref name="listening"/> runs once the subscription stands, <paramref name="notified"/> on each notification
    /// from any instance, with its payload. A lost connection ends it with the driver's exception; the caller decides when to
    /// listen again.
    /// </summary>
    public async Task ListenAsync(string channel, Action<string> notified, Action listening, CancellationToken cancellationToken)
    {
        RequireNotifications();
        // A connection of its own, outside the pool: pooled connections are not reset (see ForPostgres), and one given
        // back still listening would collect notifications nobody reads.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        connection.Notification += (_, e) => notified(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        listening();
        while (true)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Notifies <paramref name="channel"/>'s listeners with <paramref name="payload"/>, in a transaction of its own (only
    /// where <see cref="SqlDialect.Notifications"/>).
    /// </summary>
    public async Task NotifyAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        RequireNotifications();
        await using var connection = await _postgres!.OpenConnectionAsync(cancellationToken);
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        notify.Parameters.AddWithValue("channel", channel);
        notify.Parameters.AddWithValue("payload", payload);
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    private void RequireNotifications()
    {
        if (!Dialect.Notifications || _postgres is null)
        {
            throw new NotSupportedException($"The {Dialect.Name} database has no notifications.");
        }
    }
}

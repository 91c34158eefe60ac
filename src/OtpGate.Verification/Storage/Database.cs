using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Opens connections and write transactions on the configured store. On SQLite it keeps one writer at a time
/// in-process (WAL readers never wait), so writers queue on a semaphore instead of spinning on SQLITE_BUSY.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim? _writer;
    private readonly NpgsqlDataSource? _postgres;

    // Every store maps snake_case columns to PascalCase properties. Set before any connection exists, because
    // Dapper caches a row mapper per query the first time it runs, even for a query that returned no rows.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    private Database(string connectionString, SqlDialect dialect, string description)
    {
        _connectionString = connectionString;
        Dialect = dialect;
        Description = description;
        _writer = dialect is SqliteDialect ? new SemaphoreSlim(1, 1) : null;
        _postgres = dialect is PostgresDialect ? NpgsqlDataSource.Create(connectionString) : null;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Called after a write transaction commits, with the verification ids it changed (see <see cref="WriteScope.MarkChanged"/>).</summary>
    public Action<IReadOnlyCollection<string>>? AfterCommit { get; set; }

    /// <summary>Where the data is, safe to log (never a password).</summary>
    public string Description { get; }

    public static Database ForSqlite(string dataDirectory, string fileName = "otpgate.db")
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, fileName));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new Database(builder.ToString(), SqliteDialect.Instance, $"SQLite at {path}");
    }

    /// <summary>A PostgreSQL database; several instances may share it.</summary>
    public static Database ForPostgres(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Storage:ConnectionString is not a valid PostgreSQL connection string ({e.Message}). Example: \"Host=db.internal;Database=otpgate;Username=otpgate;Password=...\".", e);
        }

        var where = $"PostgreSQL database {builder.Database ?? "(default)"} on {builder.Host ?? "localhost"}:{builder.Port}";
        return new Database(builder.ConnectionString, PostgresDialect.Instance, where + (builder.SearchPath is { Length: > 0 } schema ? $" (schema {schema})" : ""));
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            // synchronous=FULL: every acknowledged start survives a power loss, not only a process crash.
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Begins a write transaction (<c>BEGIN IMMEDIATE</c> on SQLite). Dispose without commit rolls back.</summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken);
        }

        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteScope(connection, transaction, Dialect, _writer, AfterCommit);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writer?.Release();
            throw;
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        if (_postgres is not null)
        {
            _postgres.Dispose();
            return;
        }

        // Only this database's pooled connections: other databases in the process keep theirs.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}

/// <summary>A connection with an open write transaction.</summary>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, SemaphoreSlim? writer, Action<IReadOnlyCollection<string>>? afterCommit) : IAsyncDisposable
{
    private bool _disposed;
    private HashSet<string>? _changed;

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Notes that a verification changed; watchers hear of it once the transaction commits.</summary>
    public void MarkChanged(string verificationId) => (_changed ??= new(StringComparer.Ordinal)).Add(verificationId);

    /// <summary>Commits, then gives the connection (and on SQLite the write lock) back at once, before the caller reads anything else.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        await DisposeAsync();
        if (_changed is { Count: > 0 } changed)
        {
            afterCommit?.Invoke(changed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            writer?.Release();
        }
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Opens connections and write transactions on the configured store. On SQLite every write goes through one
/// long-lived connection that commits the operations queued behind each other together (<see cref="SqliteGroupCommit"/>);
/// readers use pooled connections and, with WAL, never wait for it. On PostgreSQL each write is its own transaction.
/// </summary>
public sealed partial class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly string? _sqlitePath;
    private readonly SqliteGroupCommit? _sqliteWriter;
    private readonly NpgsqlDataSource? _postgres;
    private long _postgresCommits;

    // Every store maps snake_case columns to PascalCase properties. Set before any connection exists, because
    // Dapper caches a row mapper per query the first time it runs, even for a query that returned no rows.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    private Database(string connectionString, SqlDialect dialect, string description, StorageHealth health, string? sqlitePath = null)
    {
        _connectionString = connectionString;
        _sqlitePath = sqlitePath;
        Dialect = dialect;
        Description = description;
        Health = health;
        // The one SQLite writer, or PostgreSQL's pool of connections, each with a transaction of its own.
        _sqliteWriter = dialect.GroupCommit ? new SqliteGroupCommit(connectionString, health) : null;
        _postgres = dialect.GroupCommit ? null : NpgsqlDataSource.Create(connectionString);
    }

    public SqlDialect Dialect { get; }

    /// <summary>Called after a write transaction commits, with what it changed (see <see cref="WriteScope.MarkChanged"/> and <see cref="WriteScope.MarkSendQueued"/>).</summary>
    public Action<CommittedChanges>? AfterCommit { get; set; }

    /// <summary>What every write scope charges queued sends through; set by the engine's wiring (resolved at the first write).</summary>
    internal Lazy<Fraud.SpendMeter>? Spend { get; set; }

    /// <summary>Where the data is, safe to log (never a password).</summary>
    public string Description { get; }

    /// <summary>Whether writes succeed now; see <see cref="ReportFailure"/>.</summary>
    public StorageHealth Health { get; }

    /// <summary>Write transactions committed so far and the write operations they carried (on PostgreSQL one each).</summary>
    public WriteStatistics Statistics => _sqliteWriter?.Statistics ?? new(Interlocked.Read(ref _postgresCommits), Interlocked.Read(ref _postgresCommits));

    /// <summary>
    /// A SQLite database in <paramref name="dataDirectory"/>; a missing folder is created 0700 and a missing database
    /// file 0600 (see <see cref="OwnerOnlyFiles"/>). <paramref name="logs"/> receives the storage's fault messages.
    /// </summary>
    public static Database ForSqlite(string dataDirectory, string fileName = "otpgate.db", ILoggerFactory? logs = null, TimeProvider? time = null)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, fileName));
        CreateSqliteFiles(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Also how long a command retries while the database is busy (Microsoft.Data.Sqlite retries SQLITE_BUSY itself).
            DefaultTimeout = 30,
        };
        return new Database(builder.ToString(), SqliteDialect.Instance, $"SQLite at {path}", new StorageHealth(StorageLogger(logs), time), path);
    }

    /// <summary>A PostgreSQL database; several instances may share it.</summary>
    public static Database ForPostgres(string connectionString, ILoggerFactory? logs = null, TimeProvider? time = null)
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

        if (builder.MaxAutoPrepare == 0)
        {
            // The engine runs the same few dozen statements over and over: let Npgsql prepare them once per
            // connection (an operator's own Max Auto Prepare setting wins).
            builder.MaxAutoPrepare = 64;
        }

        if (!Names(connectionString, "No Reset On Close"))
        {
            // Npgsql resets a connection's session when it goes back to the pool: four statements PostgreSQL runs for
            // every transaction. The engine keeps no session state (its advisory locks end with their transactions, and
            // the LISTEN connection is not pooled), so the reset is skipped unless the operator asks for it.
            builder.NoResetOnClose = true;
        }

        var where = $"PostgreSQL database {builder.Database ?? "(default)"} on {builder.Host ?? "localhost"}:{builder.Port}";
        return new Database(builder.ConnectionString, PostgresDialect.Instance, where + (builder.SearchPath is { Length: > 0 } schema ? $" (schema {schema})" : ""), new StorageHealth(StorageLogger(logs), time));
    }

    private static bool Names(string connectionString, string key)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), key.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// A connection for reading. On SQLite it is a pooled connection with no settings applied: reads need none, and
    /// every write goes through <see cref="BeginWriteAsync"/>.
    /// </summary>
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
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a write transaction. Dispose without commit rolls back. On SQLite the scope is a savepoint in the
    /// shared writer's transaction, and <see cref="WriteScope.CommitAsync"/> returns once that transaction is durable.
    /// </summary>
    public async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (_sqliteWriter is not null)
        {
            var shared = await _sqliteWriter.BeginAsync(Dialect, AfterCommit, cancellationToken);
            shared.Spend = Spend?.Value;
            return shared;
        }

        NpgsqlConnection? connection = null;
        try
        {
            connection = await _postgres!.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteScope(connection, transaction, Dialect, new OwnTransaction(connection, transaction, this), AfterCommit) { Spend = Spend?.Value };
        }
        catch (Exception e) when (Observed(e))
        {
            throw;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw;
        }
    }

    public void Dispose()
    {
        if (_postgres is not null)
        {
            _postgres.Dispose();
            return;
        }

        _sqliteWriter?.Dispose();
        // Only this database's pooled connections: other databases in the process keep theirs.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static ILogger StorageLogger(ILoggerFactory? logs) => logs?.CreateLogger("OtpGate.Verification.Storage") ?? NullLogger.Instance;

    /// <summary>A scope with a connection and transaction of its own (PostgreSQL).</summary>
    private sealed class OwnTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, Database database) : IWriteScopeOwner
    {
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            try
            {
                // While writes fail, only a transaction that wrote proves they work again: an empty one commits even
                // on a full disk. Asked only then, so a healthy commit costs no extra round trip.
                var wrote = !database.Health.IsFaulted || await WroteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                Interlocked.Increment(ref database._postgresCommits);
                if (wrote)
                {
                    database.Health.Succeeded();
                }
            }
            catch (Exception e) when (database.Observed(e))
            {
                throw;
            }
            finally
            {
                await AbortAsync();
            }
        }

        private async Task<bool> WroteAsync(CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("SELECT txid_current_if_assigned() IS NOT NULL", connection, transaction);
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }

        public async ValueTask AbortAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

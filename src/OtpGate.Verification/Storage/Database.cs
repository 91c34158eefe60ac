using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Opens connections and write transactions on the configured store. On SQLite every write goes through one
/// long-lived connection that commits the operations queued behind each other together (<see cref="SqliteGroupCommit"/>);
/// readers use pooled connections and, with WAL, never wait for it. On PostgreSQL each write is its own transaction.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteGroupCommit? _sqliteWriter;
    private readonly NpgsqlDataSource? _postgres;
    private long _postgresCommits;

    // Every store maps snake_case columns to PascalCase properties. Set before any connection exists, because
    // Dapper caches a row mapper per query the first time it runs, even for a query that returned no rows.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    private Database(string connectionString, SqlDialect dialect, string description)
    {
        _connectionString = connectionString;
        Dialect = dialect;
        Description = description;
        _sqliteWriter = dialect is SqliteDialect ? new SqliteGroupCommit(connectionString) : null;
        _postgres = dialect is PostgresDialect ? NpgsqlDataSource.Create(connectionString) : null;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Called after a write transaction commits, with the verification ids it changed (see <see cref="WriteScope.MarkChanged"/>).</summary>
    public Action<IReadOnlyCollection<string>>? AfterCommit { get; set; }

    /// <summary>Where the data is, safe to log (never a password).</summary>
    public string Description { get; }

    /// <summary>Write transactions committed so far and the write operations they carried (on PostgreSQL one each).</summary>
    public WriteStatistics Statistics => _sqliteWriter?.Statistics ?? new(Interlocked.Read(ref _postgresCommits), Interlocked.Read(ref _postgresCommits));

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
            // Also how long a command retries while the database is busy (Microsoft.Data.Sqlite retries SQLITE_BUSY itself).
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

        if (builder.MaxAutoPrepare == 0)
        {
            // The engine runs the same few dozen statements over and over: let Npgsql prepare them once per
            // connection (an operator's own Max Auto Prepare setting wins).
            builder.MaxAutoPrepare = 64;
        }

        var where = $"PostgreSQL database {builder.Database ?? "(default)"} on {builder.Host ?? "localhost"}:{builder.Port}";
        return new Database(builder.ConnectionString, PostgresDialect.Instance, where + (builder.SearchPath is { Length: > 0 } schema ? $" (schema {schema})" : ""));
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
            return await _sqliteWriter.BeginAsync(Dialect, AfterCommit, cancellationToken);
        }

        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteScope(connection, transaction, Dialect, new OwnTransaction(connection, transaction, () => Interlocked.Increment(ref _postgresCommits)), AfterCommit);
        }
        catch
        {
            await connection.DisposeAsync();
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

    /// <summary>A scope with a connection and transaction of its own (PostgreSQL).</summary>
    private sealed class OwnTransaction(DbConnection connection, DbTransaction transaction, Action committed) : IWriteScopeOwner
    {
        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken);
                committed();
            }
            finally
            {
                await AbortAsync();
            }
        }

        public async ValueTask AbortAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// Write transactions committed, the write operations (scopes committed) they carried, and how many SQL texts the
/// SQLite writer compiled (each distinct text once; 0 on PostgreSQL, where Npgsql prepares).
/// </summary>
public readonly record struct WriteStatistics(long Commits, long Writes, long StatementsCompiled = 0);

/// <summary>What ends a <see cref="WriteScope"/>: its own transaction, or SQLite's shared writer.</summary>
internal interface IWriteScopeOwner
{
    /// <summary>Makes the scope's writes durable and gives the connection back.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Undoes the scope's writes and gives the connection back.</summary>
    ValueTask AbortAsync();
}

/// <summary>A connection with an open write transaction.</summary>
public sealed class WriteScope : IAsyncDisposable
{
    private readonly IWriteScopeOwner _owner;
    private readonly Action<IReadOnlyCollection<string>>? _afterCommit;
    private bool _ended;
    private HashSet<string>? _changed;

    internal WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IWriteScopeOwner owner, Action<IReadOnlyCollection<string>>? afterCommit)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        _owner = owner;
        _afterCommit = afterCommit;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>Notes that a verification changed; watchers hear of it once the transaction commits.</summary>
    public void MarkChanged(string verificationId) => (_changed ??= new(StringComparer.Ordinal)).Add(verificationId);

    /// <summary>Commits, giving the connection (and on SQLite the writer) back before it returns, so the caller may read at once.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        _ended = true;
        await _owner.CommitAsync(cancellationToken);
        if (_changed is { Count: > 0 } changed)
        {
            _afterCommit?.Invoke(changed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        await _owner.AbortAsync();
    }
}

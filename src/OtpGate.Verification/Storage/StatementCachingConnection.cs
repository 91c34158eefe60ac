using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The SQLite writer connection as the stores see it: each distinct SQL text is compiled once and its prepared
/// statements are reused, where Microsoft.Data.Sqlite alone compiles the SQL of every new command again
/// (dotnet/efcore#14044). The stores keep using Dapper: its commands come from here and run on the cached ones.
/// Used only by the writer, one operation at a time.
/// </summary>
internal sealed class StatementCachingConnection(SqliteConnection inner) : DbConnection
{
    /// <summary>More than the engine's distinct statements; past it, SQL runs uncached (a migration script, say).</summary>
    private const int MaxCachedStatements = 256;

    private readonly Dictionary<string, SqliteCommand> _cache = new(StringComparer.Ordinal);

    public SqliteConnection Inner { get; } = inner;

    /// <summary>How many SQL texts were compiled (cached or not) over this connection's life.</summary>
    public long Compiled { get; private set; }

    /// <summary>
    /// The first SQLite error a statement raised on this connection, if any. The writer then commits what its group
    /// holds and opens a fresh connection: after a read-only or full disk, say, this one may stay unable to write.
    /// A scope that merely rolls back raises nothing and keeps the connection (and its compiled statements).
    /// </summary>
    public SqliteException? Fault { get; private set; }

    /// <summary>Notes the error; returns false so that it is used as an exception filter and the error goes on unchanged.</summary>
    internal bool Faulted(SqliteException exception)
    {
        Fault ??= exception;
        return false;
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => throw new NotSupportedException("The writer's connection string is fixed.");
    }

    public override string Database => Inner.Database;

    public override string DataSource => Inner.DataSource;

    public override string ServerVersion => Inner.ServerVersion;

    public override ConnectionState State => Inner.State;

    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

    public override void Open() => Inner.Open();

    public override void Close() => Inner.Close();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => new Command(this);

    /// <summary>The cached command for the SQL, or a throwaway one once the cache is full.</summary>
    private SqliteCommand Rent(string sql, out bool cached)
    {
        if (_cache.TryGetValue(sql, out var command))
        {
            cached = true;
            return command;
        }

        command = Inner.CreateCommand();
        command.CommandText = sql;
        Compiled++;
        cached = _cache.Count < MaxCachedStatements;
        if (cached)
        {
            _cache.Add(sql, command);
        }

        return command;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _cache.Values)
            {
                command.Dispose();
            }

            _cache.Clear();
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>What Dapper fills in (text, transaction, parameters); it runs on the connection's cached command for that text.</summary>
    private sealed class Command(StatementCachingConnection connection) : DbCommand
    {
        // A command of its own only for its parameter collection (SqliteParameterCollection has no public constructor).
        private readonly SqliteCommand _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set => throw new NotSupportedException("This command belongs to the SQLite writer connection.");
        }

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        public override int ExecuteNonQuery()
        {
            var command = Bind(out var cached);
            try
            {
                return command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (connection.Faulted(e))
            {
                throw;
            }
            finally
            {
                Return(command, cached);
            }
        }

        public override object? ExecuteScalar()
        {
            var command = Bind(out var cached);
            try
            {
                return command.ExecuteScalar();
            }
            catch (SqliteException e) when (connection.Faulted(e))
            {
                throw;
            }
            finally
            {
                Return(command, cached);
            }
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            // The reader resets the statements when it is disposed; Dapper disposes it before the next command runs.
            // Its first step runs here, and with it every change an UPDATE ... RETURNING makes. An error while reading
            // further rows is not seen; a connection that cannot write fails its next statement, which is.
            var command = Bind(out _);
            try
            {
                return command.ExecuteReader(behavior);
            }
            catch (SqliteException e) when (connection.Faulted(e))
            {
                throw;
            }
        }

        private SqliteCommand Bind(out bool cached)
        {
            if (CommandType != CommandType.Text)
            {
                throw new NotSupportedException("SQLite runs text commands only.");
            }

            var command = connection.Rent(CommandText, out cached);
            command.Transaction = (SqliteTransaction?)DbTransaction;
            command.CommandTimeout = CommandTimeout;
            command.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters.Parameters)
            {
                command.Parameters.Add(parameter);
            }

            return command;
        }

        private static void Return(SqliteCommand command, bool cached)
        {
            // Parameters hold the caller's values (codes' ciphertext among them): drop them at once.
            command.Parameters.Clear();
            if (!cached)
            {
                command.Dispose();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

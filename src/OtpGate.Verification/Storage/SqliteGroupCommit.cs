using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OtpGate.Verification.Storage;

/// <summary>
/// SQLite's writer: one long-lived connection that runs one write operation at a time, each in a savepoint of a
/// shared transaction. When an operation ends while others wait for their turn, the transaction stays open for them;
/// the last one (or the <see cref="MaxOperationsPerCommit"/>th) commits for all. Every operation's
/// <see cref="WriteScope.CommitAsync"/> returns only after that commit, so an acknowledged write is as durable as
/// with a transaction of its own (<c>synchronous=FULL</c>), while a burst of writes costs one commit and one fsync
/// instead of one each (group commit).
/// </summary>
internal sealed class SqliteGroupCommit(string connectionString, StorageHealth health) : IWriteScopeOwner, IDisposable
{
    /// <summary>Enough to amortise a commit under any load a single writer sees; bounds how long the first of a group waits.</summary>
    private const int MaxOperationsPerCommit = 256;

    /// <summary>The longest a group stays open; past it the next operation to end commits even when others wait.</summary>
    private static readonly TimeSpan MaxGroupDuration = TimeSpan.FromMilliseconds(20);

    private const string Savepoint = "operation";

    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _waiting;
    private StatementCachingConnection? _connection;
    private SqliteTransaction? _transaction;
    private int _operations;
    private long _groupStarted;
    private int _changesAtBegin;
    private List<TaskCompletionSource>? _awaitingCommit;
    private bool _disposed;
    private long _commits;
    private long _writes;

    /// <summary>Transactions committed, and the write operations they carried (their ratio is the mean group size).</summary>
    public WriteStatistics Statistics => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _writes), _compiledBefore + (_connection?.Compiled ?? 0));

    // Statements compiled by writer connections that were reset.
    private long _compiledBefore;

    public async Task<WriteScope> BeginAsync(SqlDialect dialect, Action<CommittedChanges>? afterCommit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _waiting);
        // Not cancellable on purpose: whoever holds the turn may have left the transaction open because this
        // operation was counted as waiting, so it must take the turn and pass it on (or commit) in every case.
        await _turn.WaitAsync(CancellationToken.None);
        Interlocked.Decrement(ref _waiting);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            if (_transaction is null)
            {
                _connection ??= await OpenWriterAsync(cancellationToken);
                _transaction = _connection.Inner.BeginTransaction(deferred: false);
                _changesAtBegin = raw.sqlite3_total_changes(_connection.Inner.Handle);
                _groupStarted = Stopwatch.GetTimestamp();
            }

            _transaction.Save(Savepoint);
            _operations++;
            return new WriteScope(_connection!, _transaction, dialect, this, afterCommit);
        }
        catch (SqliteException e)
        {
            // BEGIN or SAVEPOINT refused (a locked, full or failing file): the end of this turn resets the connection.
            // Opening it failed: there is none to reset, only the fault to record.
            if (_connection is { } connection)
            {
                _ = connection.Faulted(e);
            }
            else
            {
                health.Report(e);
            }

            EndTurn();
            throw;
        }
        catch
        {
            EndTurn();
            throw;
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            _transaction!.Release(Savepoint);
        }
        catch (Exception e)
        {
            FailGroup(e);
            EndTurn();
            throw;
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_awaitingCommit ??= []).Add(committed);
        EndTurn();
        // Not cancellable: the write is in the group and will commit (or fail) with it whatever this caller does.
        return committed.Task;
    }

    public ValueTask AbortAsync()
    {
        try
        {
            _transaction!.Rollback(Savepoint);
            _transaction.Release(Savepoint);
        }
        catch (Exception e)
        {
            // Some errors (a full disk, an I/O error) roll the whole transaction back, savepoints included.
            FailGroup(e);
        }

        EndTurn();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Called by the holder of the turn when its operation ends: passes the open transaction on, or commits it. After a
    /// SQLite error on the connection it commits what the group holds (whatever SQLite still can) and drops the
    /// connection, so the next write starts on a fresh one.
    /// </summary>
    private void EndTurn()
    {
        var fault = _connection?.Fault;
        if (_transaction is not null
            && (fault is not null || Volatile.Read(ref _waiting) == 0 || _operations >= MaxOperationsPerCommit || Stopwatch.GetElapsedTime(_groupStarted) >= MaxGroupDuration))
        {
            CommitGroup();
        }

        if (fault is not null)
        {
            health.Report(fault);
            ResetConnection();
        }

        _turn.Release();
    }

    private void CommitGroup()
    {
        var awaiting = _awaitingCommit;
        _awaitingCommit = null;
        bool wrote;
        try
        {
            wrote = raw.sqlite3_total_changes(_connection!.Inner.Handle) != _changesAtBegin;
            _transaction!.Commit();
        }
        catch (Exception e)
        {
            Fail(awaiting, e);
            health.Report(e);
            ResetConnection();
            return;
        }
        finally
        {
            _transaction?.Dispose();
            _transaction = null;
            _operations = 0;
        }

        Interlocked.Increment(ref _commits);
        if (wrote)
        {
            // Only a commit that changed rows proves the disk takes writes: one that changed nothing writes nothing.
            health.Succeeded();
        }

        if (awaiting is not null)
        {
            Interlocked.Add(ref _writes, awaiting.Count);
            foreach (var committed in awaiting)
            {
                committed.TrySetResult();
            }
        }
    }

    /// <summary>The shared transaction is lost: every operation of the group that was waiting for its commit fails.</summary>
    private void FailGroup(Exception cause)
    {
        var awaiting = _awaitingCommit;
        _awaitingCommit = null;
        Fail(awaiting, cause);
        health.Report(cause);
        ResetConnection();
    }

    private static void Fail(List<TaskCompletionSource>? awaiting, Exception cause)
    {
        if (awaiting is null)
        {
            return;
        }

        foreach (var committed in awaiting)
        {
            committed.TrySetException(new InvalidOperationException("The write was not saved: the database transaction it was part of failed. Try again.", cause));
        }
    }

    private void ResetConnection()
    {
        _compiledBefore += _connection?.Compiled ?? 0;
        try
        {
            _transaction?.Dispose();
            _connection?.Dispose();
        }
        catch (SqliteException)
        {
            // Already broken; a fresh connection is opened for the next write.
        }

        _transaction = null;
        _connection = null;
        _operations = 0;

        // Readers opened during the fault may hold the file read-only too: they are closed as they come back to the pool.
        using var readers = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(readers);
    }

    private async Task<StatementCachingConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        // Not pooled: this connection lives as long as the database object.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                // SQLite opens a file it may not write read-only, and says so only at the first write: say it now,
                // so a writer never keeps a connection that cannot write.
                throw new SqliteException($"attempt to write a readonly database: {connection.DataSource} could be opened for reading only", 8);
            }

            await using var pragma = connection.CreateCommand();
            // synchronous=FULL: every acknowledged write survives a power loss, not only a process crash.
            // cache_size: 16 MiB instead of 2, for the writer only: its reads (index lookups by random ids and phones)
            // otherwise miss the cache and go to the kernel, a sixth of the CPU of a start under load.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            pragma.CommandText = "SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT synchronous FROM pragma_synchronous)";
            await using var reader = await pragma.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var journal = reader.GetString(0);
            var synchronous = reader.GetInt64(1);
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != 2)
            {
                throw new InvalidOperationException(
                    $"SQLite must run with journal_mode=WAL and synchronous=FULL, but it reports journal_mode={journal} and synchronous={synchronous}. Keep the data directory on a local file system (WAL does not work over network file systems).");
            }

            return new StatementCachingConnection(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        _turn.Wait();
        try
        {
            _disposed = true;
            if (_transaction is not null)
            {
                CommitGroup();
            }

            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _turn.Release();
        }
    }
}

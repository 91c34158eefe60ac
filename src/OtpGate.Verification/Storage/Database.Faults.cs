using Dapper;

namespace OtpGate.Verification.Storage;

public sealed partial class Database
{
    /// <summary>The data files SQLite keeps next to each other: the database, its write-ahead log and its shared memory.</summary>
    public IReadOnlyList<string> Files => _sqlitePath is { } path ? [path, path + "-wal", path + "-shm"] : [];

    /// <summary>
    /// Tells the database that an operation on it failed. Returns true when the failure is the storage's (a read-only
    /// or full disk, an unreachable server: see <see cref="StorageFault"/>), which <see cref="Health"/> records and logs
    /// once per fault, or a wait for a busy pool (<see cref="StorageFault.IsOverloaded"/>), which is neither recorded
    /// nor logged; false for any other error, which the caller logs itself. The same failure may be reported from
    /// several places: it counts once.
    /// </summary>
    public bool ReportFailure(Exception exception)
    {
        if (StorageFault.IsOverloaded(exception))
        {
            // Every pooled connection was busy: the caller answers "busy", the storage is not faulted and the pool stays.
            return true;
        }

        if (!Health.Report(exception))
        {
            return false;
        }

        // Pooled PostgreSQL connections may all be dead (a restarted server): drop them instead of failing a request on each.
        _postgres?.Clear();
        return true;
    }

    /// <summary>
    /// A cheap read that proves the database answers and holds the schema: one index read of the migrations table, not
    /// a count of a table. Throws the driver's exception when it does not answer.
    /// </summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_migrations";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// A real write through the normal write path (a row rewritten with its own value), for readiness to find out by
    /// itself that writes work again: a load balancer sends no traffic to an instance that is not ready.
    /// </summary>
    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = await BeginWriteAsync(cancellationToken);
            await scope.Connection.ExecuteAsync("UPDATE schema_migrations SET applied_at = applied_at WHERE version = 1", transaction: scope.Transaction);
            await scope.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (Observed(e))
        {
            throw;
        }
    }

    /// <summary>
    /// Opens and commits an empty write transaction, so that a read-only folder or an unreachable server stops the
    /// start-up with <see cref="StorageUnavailableException"/>: one sentence saying where and what to do.
    /// </summary>
    public async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = await BeginWriteAsync(cancellationToken);
            await scope.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (StorageFault.IsUnavailable(e))
        {
            throw new StorageUnavailableException(StartupProblem(e), e);
        }

        Health.MarkWritable();
    }

    /// <summary>What to tell the person starting the server when the storage fails at start-up.</summary>
    public string StartupProblem(Exception exception)
    {
        var reason = StorageFault.Describe(exception);
        return _sqlitePath is { } path
            ? $"OtpGate cannot start: the SQLite database {path} cannot be written: {reason}. {SqliteAdvice(Path.GetDirectoryName(path)!)}"
            : $"OtpGate cannot start: the {Description} cannot be used: {reason}. Check Storage:ConnectionString (host, port, database, user, password) and that PostgreSQL is running and accepts connections from this machine.";
    }

    private static string SqliteAdvice(string folder) =>
        $"Make the data folder {folder} and its files writable by the user running OtpGate (not read-only, not immutable: see ls -la and lsattr), on a disk with free space, or set Storage:DataDirectory to another folder.";

    /// <summary>Creates a missing data folder (0700) and database file (0600) before SQLite opens it, so its -wal and -shm files are 0600 too.</summary>
    private static void CreateSqliteFiles(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            OwnerOnlyFiles.CreateFolder(folder);
            OwnerOnlyFiles.CreateFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"OtpGate cannot start: the SQLite database {path} cannot be created: {e.Message.TrimEnd('.')}. {SqliteAdvice(folder)}", e);
        }
    }

    /// <summary>Reports and lets the exception go on (an exception filter, so the stack is unwound only once).</summary>
    private bool Observed(Exception exception)
    {
        ReportFailure(exception);
        return false;
    }
}

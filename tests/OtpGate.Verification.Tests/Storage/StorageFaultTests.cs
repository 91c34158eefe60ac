using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// Storage faults, from real SQLite files and real PostgreSQL connections: what is told apart from a bug, and how the
/// writer heals by itself once the fault ends, saying so once in the log.
/// </summary>
public sealed class StorageFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("otpgate-faults-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public StorageFaultTests() => _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<SqliteException> SqliteErrorAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        return await Assert.ThrowsAsync<SqliteException>(async () =>
        {
            await connection.OpenAsync(Token);
            await connection.ExecuteAsync(sql);
        });
    }

    [Fact]
    public async Task A_read_only_or_missing_file_and_a_refused_connection_are_storage_faults_while_bad_sql_and_constraints_are_bugs()
    {
        var path = Path.Combine(_directory, "classify.db");
        await using (var create = new SqliteConnection($"Data Source={path}"))
        {
            await create.ExecuteAsync("CREATE TABLE items (n INTEGER PRIMARY KEY); INSERT INTO items VALUES (1);");
        }

        var readOnly = await SqliteErrorAsync($"Data Source={path};Mode=ReadOnly;Pooling=False", "INSERT INTO items VALUES (2)");
        var missing = await SqliteErrorAsync($"Data Source={Path.Combine(_directory, "nowhere", "x.db")};Mode=ReadOnly;Pooling=False", "SELECT 1");
        var constraint = await SqliteErrorAsync($"Data Source={path};Pooling=False", "INSERT INTO items VALUES (1)");
        var syntax = await SqliteErrorAsync($"Data Source={path};Pooling=False", "INSERT INTO nothing VALUES (1)");
        await using var refused = new NpgsqlConnection($"Host=127.0.0.1;Port={FreePort()};Username=otpgate;Timeout=5");
        var unreachable = await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync(Token));

        Assert.True(StorageFault.IsUnavailable(readOnly), readOnly.Message);
        Assert.True(StorageFault.IsUnavailable(missing), missing.Message);
        Assert.True(StorageFault.IsUnavailable(unreachable), unreachable.Message);
        Assert.False(StorageFault.IsUnavailable(constraint), constraint.Message);
        Assert.False(StorageFault.IsUnavailable(syntax), syntax.Message);
        // As the writer hands it to every write of a failed group, and as a host may wrap it.
        Assert.True(StorageFault.IsUnavailable(new InvalidOperationException("The write was not saved.", readOnly)));
        Assert.True(StorageFault.IsUnavailable(new AggregateException(new InvalidOperationException("other"), unreachable)));
        Assert.False(StorageFault.IsUnavailable(new InvalidOperationException("The write was not saved.", constraint)));
        Assert.Equal("attempt to write a readonly database (SQLite error 8)", StorageFault.Describe(readOnly));
    }

    [Fact]
    [Trait("Storage", "sqlite-only")] // SQLite's own files made immutable
    public async Task After_its_files_were_immutable_the_writer_writes_again_without_a_restart_and_the_log_says_so_once()
    {
        Assert.SkipUnless(FileFaults.IsRoot, "Needs root for chattr +i: chmod a-w does not reach the writer, which keeps the files it opened writable.");
        using var database = Database.ForSqlite(_directory, logs: _loggerFactory);
        await Migrator.MigrateAsync(database, TimeProvider.System, Token);
        await WriteAsync(database, 1);
        var path = Path.Combine(_directory, "otpgate.db");

        var failures = new List<Exception>();
        using (FileFaults.MakeReadOnly(_directory, path, path + "-wal"))
        {
            for (var n = 2; n <= 4; n++)
            {
                failures.Add(await Assert.ThrowsAnyAsync<Exception>(() => WriteAsync(database, n)));
            }

            Assert.True(database.Health.IsFaulted);
        }

        // The first write after the fault: no new Database, no restart.
        await WriteAsync(database, 5);
        await WaitUntilAsync(() => !database.Health.IsFaulted);

        Assert.All(failures, e => Assert.True(StorageFault.IsUnavailable(e), e.ToString()));
        Assert.Equal([1L, 5L], await ReadAsync(database));
        Assert.Single(_logs.Lines, l => l.Contains("Storage writes are failing: ", StringComparison.Ordinal));
        Assert.Single(_logs.Lines, l => l.Contains("Storage writes succeed again after 3 failed writes in ", StringComparison.Ordinal));
        Assert.Equal(3, database.Health.FailedWrites);
    }

    [Fact]
    [Trait("Storage", "postgres-only")]
    public async Task A_full_connection_pool_is_an_overload_that_leaves_the_storage_healthy_and_the_pool_intact()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var oneConnection = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1, Timeout = 1 }.ConnectionString;
            using var database = Database.ForPostgres(oneConnection, _loggerFactory);
            await Migrator.MigrateAsync(database, TimeProvider.System, Token);
            await database.EnsureWritableAsync(Token);

            Exception busy;
            await using (var holding = await database.BeginWriteAsync(Token))
            {
                busy = await Assert.ThrowsAnyAsync<Exception>(() => database.ProbeWriteAsync(Token));
                await holding.CommitAsync(Token);
            }

            Assert.True(StorageFault.IsOverloaded(busy), busy.ToString());
            Assert.True(database.ReportFailure(busy));
            // Not a fault of the storage: readiness stays up, nothing is logged as failing, and the pool keeps its connection.
            Assert.False(database.Health.IsFaulted);
            Assert.Equal(0, database.Health.FailedWrites);
            Assert.DoesNotContain(_logs.Lines, l => l.Contains("Storage writes are failing", StringComparison.Ordinal));
            await database.ProbeWriteAsync(Token);
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    [Trait("Storage", "postgres-only")]
    public async Task Postgres_connections_killed_by_an_administrator_fail_one_write_and_the_next_one_succeeds()
    {
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        var application = "otpgate-fault-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var database = Database.ForPostgres(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = application }.ConnectionString, _loggerFactory);
            await Migrator.MigrateAsync(database, TimeProvider.System, Token);
            await database.ProbeWriteAsync(Token);
            // Several idle connections in the pool, as under load; then the administrator ends them all.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.ProbeWriteAsync(Token)));
            await using (var admin = new NpgsqlConnection(connectionString))
            {
                await admin.OpenAsync(Token);
                Assert.True(await admin.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @application) killed",
                    new { application }) > 0);
            }

            var failure = await Assert.ThrowsAnyAsync<Exception>(() => database.ProbeWriteAsync(Token));
            await database.ProbeWriteAsync(Token);
            await WaitUntilAsync(() => !database.Health.IsFaulted);

            Assert.True(StorageFault.IsUnavailable(failure), failure.ToString());
            Assert.Single(_logs.Lines, l => l.Contains("Storage writes are failing: ", StringComparison.Ordinal) && l.Contains("57P01", StringComparison.Ordinal));
            Assert.Single(_logs.Lines, l => l.Contains("Storage writes succeed again after 1 failed writes in ", StringComparison.Ordinal));
        }
        finally
        {
            await drop();
        }
    }

    private static async Task WriteAsync(Database database, int n)
    {
        await using var scope = await database.BeginWriteAsync(Token);
        await scope.Connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS items (n INTEGER NOT NULL PRIMARY KEY)", transaction: scope.Transaction);
        await scope.Connection.ExecuteAsync("INSERT INTO items (n) VALUES (@n)", new { n }, scope.Transaction);
        await scope.CommitAsync(Token);
    }

    private static async Task<List<long>> ReadAsync(Database database)
    {
        await using var connection = await database.OpenAsync(Token);
        return [.. await connection.QueryAsync<long>("SELECT n FROM items ORDER BY n")];
    }

    /// <summary>Waits for a condition with a deadline (a fault ends <see cref="StorageHealth.SettleTime"/> after the first success).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The condition never held.");
            await Task.Delay(20, Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

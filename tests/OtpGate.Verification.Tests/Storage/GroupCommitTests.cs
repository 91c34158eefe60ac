using Dapper;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// SQLite's single writer: writes that queue behind each other share one commit, each is acknowledged only once
/// that commit is done, and a write that rolls back (or fails) takes none of its group's other writes with it.
/// </summary>
[Trait("Storage", "sqlite-only")]
public sealed class GroupCommitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("otpgate-group-").FullName;
    private readonly Database _database;

    public GroupCommitTests()
    {
        _database = Database.ForSqlite(_directory);
    }

    private async Task CreateTableAsync()
    {
        await using var scope = await _database.BeginWriteAsync(TestContext.Current.CancellationToken);
        await scope.Connection.ExecuteAsync("CREATE TABLE items (n INTEGER NOT NULL PRIMARY KEY)", transaction: scope.Transaction);
        await scope.CommitAsync(TestContext.Current.CancellationToken);
    }

    private async Task InsertAsync(int n, bool commit)
    {
        await using var scope = await _database.BeginWriteAsync(TestContext.Current.CancellationToken);
        await scope.Connection.ExecuteAsync("INSERT INTO items (n) VALUES (@n)", new { n }, scope.Transaction);
        // Let other writers queue up behind this one, as concurrent requests do.
        await Task.Yield();
        if (commit)
        {
            await scope.CommitAsync(TestContext.Current.CancellationToken);
        }
    }

    private async Task<List<long>> ReadAllAsync()
    {
        // A separate process's view: a fresh database object on the same file sees only what was committed.
        using var other = Database.ForSqlite(_directory);
        await using var connection = await other.OpenAsync(TestContext.Current.CancellationToken);
        return [.. await connection.QueryAsync<long>("SELECT n FROM items ORDER BY n")];
    }

    [Fact]
    public async Task Concurrent_writes_share_commits_and_every_acknowledged_one_is_on_disk()
    {
        await CreateTableAsync();
        var before = _database.Statistics;

        await Task.WhenAll(Enumerable.Range(1, 400).Select(n => Task.Run(() => InsertAsync(n, commit: true))));

        var after = _database.Statistics;
        Assert.Equal(400, after.Writes - before.Writes);
        Assert.InRange(after.Commits - before.Commits, 1, 399);
        Assert.Equal(Enumerable.Range(1, 400).Select(n => (long)n), await ReadAllAsync());
    }

    [Fact]
    public async Task The_writer_compiles_each_statement_once_and_binds_each_write_its_own_values()
    {
        await CreateTableAsync();
        var before = _database.Statistics.StatementsCompiled;

        for (var n = 1; n <= 200; n++)
        {
            await InsertAsync(n, commit: true);
        }

        // One INSERT text, compiled once (the savepoints run on the transaction itself, not through Dapper).
        Assert.InRange(_database.Statistics.StatementsCompiled - before, 1, 1);
        Assert.Equal(Enumerable.Range(1, 200).Select(n => (long)n), await ReadAllAsync());
    }

    [Fact]
    public async Task A_write_that_rolls_back_leaves_the_rest_of_its_group()
    {
        await CreateTableAsync();

        await Task.WhenAll(Enumerable.Range(1, 300).Select(n => Task.Run(() => InsertAsync(n, commit: n % 3 != 0))));

        Assert.Equal(Enumerable.Range(1, 300).Where(n => n % 3 != 0).Select(n => (long)n), await ReadAllAsync());
    }

    [Fact]
    public async Task A_failing_statement_fails_only_its_own_write()
    {
        await CreateTableAsync();

        var results = await Task.WhenAll(Enumerable.Range(1, 200).Select(n => Task.Run(async () =>
        {
            try
            {
                // Every even write collides with the row the odd one before it inserted.
                await InsertAsync(n % 2 == 0 ? n - 1 : n, commit: true);
                return true;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return false;
            }
        })));

        Assert.Equal(100, results.Count(ok => ok));
        Assert.Equal(Enumerable.Range(1, 200).Where(n => n % 2 == 1).Select(n => (long)n), await ReadAllAsync());
    }

    [Fact]
    public async Task A_write_that_rolls_back_keeps_the_writer_connection_and_its_compiled_statements()
    {
        await CreateTableAsync();
        await InsertAsync(1, commit: true);
        var compiled = _database.Statistics.StatementsCompiled;

        // Refusals (a limit reached, a wrong code) roll their scope back: the hot path must not pay a reconnect for them.
        for (var n = 2; n <= 50; n++)
        {
            await InsertAsync(n, commit: false);
        }

        await InsertAsync(51, commit: true);

        Assert.Equal(compiled, _database.Statistics.StatementsCompiled);
        Assert.Equal([1L, 51L], await ReadAllAsync());
    }

    [Fact]
    public async Task A_sqlite_error_on_the_writer_gives_the_next_write_a_fresh_connection()
    {
        await CreateTableAsync();
        await InsertAsync(1, commit: true);
        var compiled = _database.Statistics.StatementsCompiled;

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => InsertAsync(1, commit: true));
        await InsertAsync(2, commit: true);

        // The INSERT compiled again: a new connection, with a new statement cache. After a read-only or full disk the
        // old one may stay unable to write; an error is rare enough that any of them pays for a fresh start.
        Assert.Equal(compiled + 1, _database.Statistics.StatementsCompiled);
        Assert.Equal([1L, 2L], await ReadAllAsync());
    }

    [Fact]
    public async Task A_write_canceled_while_waiting_for_its_turn_does_not_strand_the_others()
    {
        await CreateTableAsync();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var writes = Enumerable.Range(1, 100).Select(n => Task.Run(async () =>
        {
            if (n % 10 == 0)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _database.BeginWriteAsync(canceled.Token));
                return;
            }

            await InsertAsync(n, commit: true);
        }));
        await Task.WhenAll(writes);

        Assert.Equal(90, (await ReadAllAsync()).Count);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

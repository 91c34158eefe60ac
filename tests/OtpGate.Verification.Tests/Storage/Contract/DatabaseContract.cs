using System.Data.Common;
using Dapper;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary><see cref="Database"/>'s own methods, its <see cref="Migrator"/> and the dialect's capabilities, on each database.</summary>
public abstract class DatabaseContract(TestDatabase kind) : StoreContract(kind)
{
    [Fact]
    public async Task The_ping_answers_on_a_migrated_database_and_fails_without_the_schema()
    {
        using var empty = await OpenAsync();

        await Database.PingAsync(Token);
        await Assert.ThrowsAnyAsync<DbException>(() => empty.PingAsync(Token));
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_every_shipped_version_is_recorded()
    {
        var again = await Migrator.MigrateAsync(Database, TimeProvider.System, Token);
        var (shipped, applied) = await Migrator.GetVersionsAsync(Database, Token);

        Assert.Equal(0, again);
        Assert.Equal(shipped, applied);
        Assert.Equal(shipped, await ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task The_accounts_migration_keeps_the_tables_an_earlier_server_created_itself()
    {
        // As a server before 0004 left it: the accounts tables (created at its start, same columns) with rows, 0004 not recorded.
        await new AccountStore(Database).SignInAsync("v1", "acct_1", "Ada", "12125550100", Now, Token);
        await WriteAsync(s => s.Connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 4", transaction: s.Transaction));

        Assert.Equal(1, await Migrator.MigrateAsync(Database, TimeProvider.System, Token));
        Assert.Equal(new AccountRow("acct_1", "Ada", "12125550100", Now), await new AccountStore(Database).FindAsync("12125550100", Token));
        Assert.Equal("0004_accounts", await ScalarAsync<string>("SELECT name FROM schema_migrations WHERE version = 4"));
    }

    [Fact]
    public async Task A_write_probe_and_the_writable_check_go_through_the_write_path()
    {
        var before = Database.Statistics.Writes;

        await Database.ProbeWriteAsync(Token);
        await Database.EnsureWritableAsync(Token);

        Assert.Equal(before + 2, Database.Statistics.Writes);
    }

    [Fact]
    public async Task A_notification_wakes_a_listener_with_its_payload_where_the_database_has_them()
    {
        if (!Database.Dialect.Notifications)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Database.ListenAsync("otpgate_test", _ => { }, () => { }, Token));
            await Assert.ThrowsAsync<NotSupportedException>(() => Database.NotifyAsync("otpgate_test", "", Token));
            return;
        }

        var listening = new TaskCompletionSource();
        var notified = new TaskCompletionSource<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var listen = Database.ListenAsync(PostgresDialect.OutboxChannel, payload => { if (payload == "contract-test") { notified.TrySetResult(payload); } }, () => listening.TrySetResult(), stop.Token);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);

        await Database.NotifyAsync(PostgresDialect.OutboxChannel, "contract-test", Token);

        Assert.Equal("contract-test", await notified.Task.WaitAsync(TimeSpan.FromSeconds(30), Token));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
    }

    [Fact]
    public void The_capabilities_agree_with_each_other()
    {
        var dialect = Database.Dialect;

        // Several instances need locks that span them and a way to wake each other; one process needs neither.
        Assert.Equal(dialect.SharedByInstances, dialect.AdvisoryLocks);
        Assert.Equal(dialect.SharedByInstances, dialect.Notifications);
        Assert.Equal(!dialect.SharedByInstances, dialect.GroupCommit);
        Assert.Equal(dialect.GroupCommit, Database.Files.Count > 0);
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class DatabaseOnSqlite() : DatabaseContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class DatabaseOnPostgres() : DatabaseContract(TestDatabase.Postgres);

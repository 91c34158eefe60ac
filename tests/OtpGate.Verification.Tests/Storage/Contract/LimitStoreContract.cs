using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="LimitStore"/>, on each database.</summary>
public abstract class LimitStoreContract(TestDatabase kind) : StoreContract(kind)
{
    [Fact]
    public async Task A_window_is_full_until_its_oldest_event_that_keeps_it_full_slides_out()
    {
        foreach (var at in new[] { Now - 50, Now - 30, Now - 10 })
        {
            await WriteAsync(s => LimitStore.RecordAsync(s, "phone:1", "v1", at));
        }

        await WriteAsync(s => LimitStore.RecordAsync(s, "phone:2", null, Now));

        Assert.Null(await WriteAsync(s => LimitStore.FullUntilAsync(s, "phone:1", max: 4, windowStart: Now - 100, windowLength: 100)));
        Assert.Equal(Now - 50 + 100, await WriteAsync(s => LimitStore.FullUntilAsync(s, "phone:1", max: 3, windowStart: Now - 100, windowLength: 100)));
        Assert.Equal(Now - 30 + 100, await WriteAsync(s => LimitStore.FullUntilAsync(s, "phone:1", max: 2, windowStart: Now - 100, windowLength: 100)));
        // Events at or before the window's start do not count.
        Assert.Null(await WriteAsync(s => LimitStore.FullUntilAsync(s, "phone:1", max: 2, windowStart: Now - 30, windowLength: 100)));
    }

    [Fact]
    public async Task Recorded_events_get_ids_and_two_scopes_are_recorded_at_once()
    {
        var first = await WriteAsync(s => LimitStore.RecordAsync(s, "a", "v1", Now));
        var second = await WriteAsync(s => LimitStore.RecordAsync(s, "a", null, Now));
        await WriteAsync(s => LimitStore.RecordBothAsync(s, "b", "c", "v2", Now));

        Assert.True(second > first);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'b' AND verification_id = 'v2' AND at = @Now", new { Now }));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'c' AND verification_id = 'v2' AND at = @Now", new { Now }));
    }

    [Fact]
    public async Task Failures_are_counted_for_the_phone_and_the_starter_with_the_starters_latest()
    {
        await WriteAsync(s => LimitStore.RecordBothAsync(s, "fail:phone", "fail:starter", "v1", Now - 20));
        await WriteAsync(s => LimitStore.RecordBothAsync(s, "fail:phone", "fail:starter", "v1", Now - 10));
        await WriteAsync(s => LimitStore.RecordAsync(s, "fail:phone", "v2", Now - 5));
        await WriteAsync(s => LimitStore.RecordAsync(s, "fail:starter", "v1", Now - 500));

        var counts = await WriteAsync(s => LimitStore.CountFailuresAsync(s, "fail:phone", "fail:starter", Now - 100));
        var none = await WriteAsync(s => LimitStore.CountFailuresAsync(s, "fail:other", "fail:nobody", Now - 100));

        Assert.Equal((3L, 2L, (long?)(Now - 10)), (counts.Phone, counts.Starter, counts.StarterLast));
        Assert.Equal((0L, 0L, (long?)null), (none.Phone, none.Starter, none.StarterLast));
    }

    [Fact]
    public async Task Clearing_a_scope_and_purging_old_events_leave_the_rest()
    {
        await WriteAsync(s => LimitStore.RecordAsync(s, "a", null, Now - 100));
        await WriteAsync(s => LimitStore.RecordAsync(s, "a", null, Now));
        await WriteAsync(s => LimitStore.RecordAsync(s, "b", null, Now - 100));
        await WriteAsync(s => LimitStore.RecordAsync(s, "b", null, Now));

        await WriteAsync(s => LimitStore.ClearAsync(s, "a"));
        var purged = await WriteAsync(s => LimitStore.PurgeAsync(s, Now - 100));

        Assert.Equal(1, purged);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM limit_events"));
        Assert.Equal(Now, await ScalarAsync<long>("SELECT at FROM limit_events WHERE scope = 'b'"));
    }

    [Fact]
    public async Task Transactions_locking_the_same_key_take_turns()
    {
        // Where the database serialises every writer (SQLite) the lock is a no-op and this holds as well.
        await using var first = await Database.BeginWriteAsync(Token);
        await LimitStore.LockAsync(first, "phone:1");

        var released = false;
        var secondTask = Task.Run(async () =>
        {
            await using var second = await Database.BeginWriteAsync(Token);
            await LimitStore.LockAsync(second, "phone:1");
            var afterFirst = Volatile.Read(ref released);
            await second.CommitAsync(Token);
            return afterFirst;
        }, Token);
        await Task.Delay(200, Token);
        Volatile.Write(ref released, true);
        await first.CommitAsync(Token);

        Assert.True(await secondTask, "The second transaction locked the key while the first held it.");
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class LimitStoreOnSqlite() : LimitStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class LimitStoreOnPostgres() : LimitStoreContract(TestDatabase.Postgres);

using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="IdempotencyStore"/>, on each database.</summary>
public abstract class IdempotencyStoreContract(TestDatabase kind) : StoreContract(kind)
{
    [Fact]
    public async Task A_key_is_found_for_its_owner_only_and_within_the_window()
    {
        await WriteAsync(s => IdempotencyStore.RememberAsync(s, Owner, "key", "request", "v1", Now));

        Assert.Equal(new IdempotencyKeys.Earlier("v1", "request"), await WriteAsync(s => IdempotencyStore.FindAsync(s, Owner, "key", Now - 1)));
        Assert.Null(await WriteAsync(s => IdempotencyStore.FindAsync(s, VerificationOwner.ApiKey("other"), "key", Now - 1)));
        Assert.Null(await WriteAsync(s => IdempotencyStore.FindAsync(s, Owner, "other-key", Now - 1)));
        Assert.Null(await WriteAsync(s => IdempotencyStore.FindAsync(s, Owner, "key", Now)));
    }

    [Fact]
    public async Task Remembering_a_key_again_replaces_the_expired_row()
    {
        await WriteAsync(s => IdempotencyStore.RememberAsync(s, Owner, "key", "request-1", "v1", Now));
        await WriteAsync(s => IdempotencyStore.RememberAsync(s, Owner, "key", "request-2", "v2", Now + 10));

        Assert.Equal(new IdempotencyKeys.Earlier("v2", "request-2"), await WriteAsync(s => IdempotencyStore.FindAsync(s, Owner, "key", Now)));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys"));
    }

    [Fact]
    public async Task Purging_removes_keys_stored_before_the_time_given()
    {
        await WriteAsync(s => IdempotencyStore.RememberAsync(s, Owner, "old", "r", "v1", Now - 1));
        await WriteAsync(s => IdempotencyStore.RememberAsync(s, Owner, "new", "r", "v2", Now));

        Assert.Equal(1, await WriteAsync(s => IdempotencyStore.PurgeAsync(s, Now)));
        Assert.Equal("new", await ScalarAsync<string>("SELECT key_hash FROM idempotency_keys"));
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class IdempotencyStoreOnSqlite() : IdempotencyStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class IdempotencyStoreOnPostgres() : IdempotencyStoreContract(TestDatabase.Postgres);

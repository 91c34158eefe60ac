using Dapper;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="RetentionStore"/>, on each database.</summary>
public abstract class RetentionStoreContract(TestDatabase kind) : StoreContract(kind)
{
    [Fact]
    public async Task Ended_verifications_created_before_the_time_go_with_their_sends_and_timeline()
    {
        var old = Pending("old");
        old.CreatedAt = Now - 10;
        await InsertAsync(old);
        var oldPending = Pending("old-pending", phone: "12125550111");
        oldPending.CreatedAt = Now - 10;
        await InsertAsync(oldPending);
        await InsertAsync(Pending("recent", phone: "12125550122"));
        await InsertSendAsync("old");
        await WriteAsync(async s =>
        {
            await VerificationStore.AddEventAsync(s, "old", null, "created", "pending", null, Now);
            await VerificationStore.EndAsync(s, "old", "canceled", null, Now);
            await VerificationStore.EndAsync(s, "recent", "canceled", null, Now);
        });

        Assert.Equal(1, await WriteAsync(s => RetentionStore.PurgeEndedVerificationsAsync(s, Now)));

        Assert.Equal(["old-pending", "recent"], (await ReadAsync(c => c.QueryAsync<string>("SELECT id FROM verifications ORDER BY id"))).ToList());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM verification_events"));
    }

    [Fact]
    public async Task Status_callbacks_received_before_the_time_are_purged()
    {
        await WriteAsync(s => s.Connection.ExecuteAsync("""
            INSERT INTO delivery_receipts (message_id, status, received_at) VALUES ('m1', 'sent', @old), ('m1', 'read', @now), ('m2', 'sent', @old)
            """, new { old = Now - 1, now = Now }, s.Transaction));

        Assert.Equal(2, await WriteAsync(s => RetentionStore.PurgeReceiptsAsync(s, Now)));
        Assert.Equal("read", await ScalarAsync<string>("SELECT status FROM delivery_receipts"));
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class RetentionStoreOnSqlite() : RetentionStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class RetentionStoreOnPostgres() : RetentionStoreContract(TestDatabase.Postgres);

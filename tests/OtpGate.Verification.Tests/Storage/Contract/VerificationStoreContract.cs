using OtpGate.Verification.Storage;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="VerificationStore"/>, on each database.</summary>
public abstract class VerificationStoreContract(TestDatabase kind) : StoreContract(kind)
{
    [Fact]
    public async Task A_verification_inserted_is_found_with_every_column()
    {
        var row = Pending("v1");
        row.ClientRef = "ref";
        row.Metadata = """{"a":"b"}""";
        await InsertAsync(row);

        var found = (await ReadAsync(c => VerificationStore.FindAsync(c, "v1")))!;

        Assert.Equivalent(row, found, strict: true);
        Assert.Null(await ReadAsync(c => VerificationStore.FindAsync(c, "nope")));
    }

    [Fact]
    public async Task Another_owner_finds_nothing_as_if_the_id_were_never_issued()
    {
        await InsertAsync(Pending("v1"));
        var stranger = VerificationOwner.ApiKey("stranger");

        Assert.Equal("v1", (await ReadAsync(c => VerificationStore.FindOwnedAsync(c, Owner, "v1")))?.Id);
        Assert.Null(await ReadAsync(c => VerificationStore.FindOwnedAsync(c, stranger, "v1")));
        Assert.Equal("v1", (await WriteAsync(s => VerificationStore.FindForUpdateAsync(s, Owner, "v1")))?.Id);
        Assert.Null(await WriteAsync(s => VerificationStore.FindForUpdateAsync(s, stranger, "v1")));
        Assert.Equal("12125550100", await WriteAsync(s => VerificationStore.FindPhoneAsync(s, Owner, "v1")));
        Assert.Null(await WriteAsync(s => VerificationStore.FindPhoneAsync(s, stranger, "v1")));
    }

    [Fact]
    public async Task The_pending_verification_is_found_per_owner_phone_and_purpose()
    {
        var other = VerificationOwner.ApiKey("other");
        await InsertAsync(Pending("v1"));
        await InsertAsync(Pending("v2", owner: other));

        Assert.Equal("v1", (await WriteAsync(s => VerificationStore.FindPendingAsync(s, Owner, "12125550100", "signup")))?.Id);
        Assert.Equal("v2", (await WriteAsync(s => VerificationStore.FindPendingAsync(s, other, "12125550100", "signup")))?.Id);
        Assert.Null(await WriteAsync(s => VerificationStore.FindPendingAsync(s, Owner, "12125550100", "login")));
        await WriteAsync(s => VerificationStore.EndAsync(s, "v1", "canceled", null, Now));
        Assert.Null(await WriteAsync(s => VerificationStore.FindPendingAsync(s, Owner, "12125550100", "signup")));
    }

    [Fact]
    public async Task Ending_erases_the_code_and_happens_once()
    {
        await InsertAsync(Pending("v1"));

        Assert.Equal("default", await WriteAsync(s => VerificationStore.EndAsync(s, "v1", "failed", "template_rejected", Now + 5)));
        Assert.Null(await WriteAsync(s => VerificationStore.EndAsync(s, "v1", "approved", null, Now + 6)));

        var ended = (await ReadAsync(c => VerificationStore.FindAsync(c, "v1")))!;
        Assert.Equal(("failed", "template_rejected", Now + 5, Now + 5), (ended.Status, ended.FailureReason, ended.EndedAt, ended.UpdatedAt));
        Assert.Null(ended.CodeMac);
        Assert.Null(ended.CodeCipher);
    }

    [Fact]
    public async Task Expiry_ends_only_pending_verifications_past_their_expiry_and_only_the_phone_asked_for()
    {
        await InsertAsync(Pending("due1"));
        await InsertAsync(Pending("due2", phone: "12125550111"));
        var later = Pending("later", phone: "12125550122");
        later.ExpiresAt = Now + 900_000;
        await InsertAsync(later);
        var at = Now + 600_000;

        var onePhone = await WriteAsync(s => VerificationStore.ExpireDueAsync(s, at, "12125550111", "signup"));
        var rest = await WriteAsync(s => VerificationStore.ExpireDueAsync(s, at));

        Assert.Equal([("due2", "default")], onePhone.Select(v => (v.Id, v.ServiceId)));
        Assert.Equal([("due1", "default")], rest.Select(v => (v.Id, v.ServiceId)));
        var expired = (await ReadAsync(c => VerificationStore.FindAsync(c, "due1")))!;
        Assert.Equal(("expired", at), (expired.Status, expired.EndedAt));
        Assert.Null(expired.CodeMac);
        Assert.Equal("pending", (await ReadAsync(c => VerificationStore.FindAsync(c, "later")))!.Status);
    }

    [Fact]
    public async Task Attempts_are_taken_one_by_one_up_to_the_maximum_and_a_fresh_code_only_once()
    {
        await InsertAsync(Pending("v1"));

        Assert.Equal(1L, await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now, freshCodeOnly: true)));
        Assert.Null(await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now, freshCodeOnly: true)));
        for (var expected = 2L; expected <= 5; expected++)
        {
            Assert.Equal(expected, await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now, freshCodeOnly: false)));
        }

        Assert.Null(await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now, freshCodeOnly: false)));
        Assert.Equal(0L, (await ReadAsync(c => VerificationStore.FindAsync(c, "v1")))!.FreshCode);
    }

    [Fact]
    public async Task No_attempt_is_taken_after_expiry_or_the_end()
    {
        await InsertAsync(Pending("v1"));
        await InsertAsync(Pending("v2", phone: "12125550111"));
        await WriteAsync(s => VerificationStore.EndAsync(s, "v2", "canceled", null, Now));

        Assert.Null(await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now + 600_000, freshCodeOnly: false)));
        Assert.Null(await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v2", Now, freshCodeOnly: false)));
    }

    [Fact]
    public async Task A_new_code_and_a_recorded_send_change_only_a_pending_verification()
    {
        await InsertAsync(Pending("v1"));
        await WriteAsync(s => VerificationStore.TakeAttemptAsync(s, "v1", Now, freshCodeOnly: false));

        await WriteAsync(s => VerificationStore.UpdateCodeAsync(s, "v1", "k2", [7], [8], Now + 700_000, Now + 1));
        Assert.Equal(1, await WriteAsync(s => VerificationStore.RecordSendAsync(s, "v1", Now + 90_000, Now + 2)));

        var row = (await ReadAsync(c => VerificationStore.FindAsync(c, "v1")))!;
        Assert.Equal(("k2", Now + 700_000, 2L, Now + 90_000, 1L, Now + 2), (row.CodeKeyId, row.ExpiresAt, row.SendCount, row.NextResendAt, row.FreshCode, row.UpdatedAt));
        Assert.Equal([7], row.CodeMac);
        Assert.Equal([8], row.CodeCipher);

        await WriteAsync(s => VerificationStore.EndAsync(s, "v1", "canceled", null, Now + 3));
        await WriteAsync(s => VerificationStore.UpdateCodeAsync(s, "v1", "k3", [9], [9], Now + 800_000, Now + 4));
        Assert.Equal(0, await WriteAsync(s => VerificationStore.RecordSendAsync(s, "v1", Now + 99_000, Now + 4)));
        Assert.Equal("k2", (await ReadAsync(c => VerificationStore.FindAsync(c, "v1")))!.CodeKeyId);
    }

    [Fact]
    public async Task The_timeline_and_the_sends_are_read_in_order_and_changes_are_marked_for_watchers()
    {
        await InsertAsync(Pending("v1"));
        var first = await InsertSendAsync("v1", seq: 1);
        var second = await InsertSendAsync("v1", seq: 2, messageId: "wamid.2");
        CommittedChanges? committed = null;
        Database.AfterCommit = c => committed = c;

        await WriteAsync(async s =>
        {
            await VerificationStore.AddEventAsync(s, "v1", null, "created", "pending", null, Now);
            await VerificationStore.AddEventAsync(s, "v1", second, "accepted", "accepted", "detail", Now + 1);
        });

        Assert.Equal(["v1"], committed?.Verifications);
        var sends = (await ReadAsync(c => VerificationStore.GetSendsAsync(c, "v1"))).ToList();
        Assert.Equal([(first, 1L, null), (second, 2L, "wamid.2")], sends.Select(s => (s.Id, s.Seq, s.MessageId)));
        Assert.Equal(("start", "queued", "queued", Now), (sends[0].Reason, sends[0].JobState, sends[0].DeliveryStatus, sends[0].CreatedAt));
        var events = (await ReadAsync(c => VerificationStore.GetEventsAsync(c, "v1"))).ToList();
        Assert.Equal([("created", null, null, Now), ("accepted", (long?)2, "detail", Now + 1)], events.Select(e => (e.Kind, e.Seq, e.Detail, e.At)));
        Assert.Equal(second, events[1].SendId);
        Assert.Empty(await ReadAsync(c => VerificationStore.GetEventsAsync(c, "other")));
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class VerificationStoreOnSqlite() : VerificationStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class VerificationStoreOnPostgres() : VerificationStoreContract(TestDatabase.Postgres);

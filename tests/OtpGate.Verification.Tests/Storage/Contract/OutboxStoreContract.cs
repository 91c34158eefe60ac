using Dapper;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="OutboxStore"/>, on each database.</summary>
public abstract partial class OutboxStoreContract(TestDatabase kind) : StoreContract(kind)
{
    private const long Lease = 60_000;

    [Fact]
    public async Task Enqueued_sends_are_numbered_per_verification_and_take_the_verifications_channel()
    {
        await InsertAsync(WithChannel(Pending("v1"), "sms"));
        await InsertAsync(WithChannel(Pending("v2", phone: "12125550111"), "whatsapp"));

        var first = await EnqueueAsync("v1", dueAt: Now + 5);
        var second = await EnqueueAsync("v1", SendReason.Resend);
        var other = await EnqueueAsync("v2", SendReason.AmbiguousRetry);

        var row = await SendAsync(first);
        Assert.Equal(("v1", 1L, "start", "queued", Now + 5, 0L, "queued", Now, "sms"),
            (row.VerificationId, row.Seq, row.Reason, row.JobState, row.DueAt, row.Tries, row.DeliveryStatus, row.CreatedAt, row.Channel));
        Assert.Null(row.LockedUntil);
        Assert.Null(row.MessageId);
        var resend = await SendAsync(second);
        Assert.Equal((2L, "resend"), (resend.Seq, resend.Reason));
        var elsewhere = await SendAsync(other);
        Assert.Equal((1L, "ambiguous_retry", "whatsapp"), (elsewhere.Seq, elsewhere.Reason, elsewhere.Channel));
    }

    [Fact]
    public async Task A_claim_takes_due_jobs_oldest_first_up_to_the_maximum_with_their_verification()
    {
        var verification = WithChannel(Pending("v1"), "sms");
        await InsertAsync(verification);
        var late = await EnqueueAsync("v1", dueAt: Now - 10);
        var oldest = await EnqueueAsync("v1", dueAt: Now - 30);
        var middle = await EnqueueAsync("v1", dueAt: Now - 20);
        var notDue = await EnqueueAsync("v1", dueAt: Now + 1);

        var batch = await ClaimAsync("a", max: 2);
        var rest = await ClaimAsync("a", max: 10);

        // The oldest two, in no particular order.
        Assert.Equal([oldest, middle], batch.Select(j => j.Id).Order());
        Assert.Equal([late], rest.Select(j => j.Id));
        var job = batch.Single(j => j.Id == oldest);
        Assert.Equal(("v1", 2L, "start", 1L, "sms"), (job.VerificationId, job.Seq, job.Reason, job.Tries, job.Channel));
        var context = job.Context!;
        Assert.Equal(("v1", "12125550100", "US", "en", "pending", verification.ExpiresAt, "k1", Now),
            (context.Id, context.Phone, context.Region, context.Locale, context.Status, context.ExpiresAt, context.CodeKeyId, context.CreatedAt));
        Assert.Equal(verification.CodeCipher, context.CodeCipher);
        var claimed = await SendAsync(oldest);
        Assert.Equal(("claimed", Now + Lease, "a", 1L), (claimed.JobState, claimed.LockedUntil, claimed.LockedBy, claimed.Tries));
        Assert.Equal("queued", (await SendAsync(notDue)).JobState);
    }

    [Fact]
    public async Task A_claimed_job_is_claimed_again_only_once_its_lease_runs_out_and_each_claimer_gets_its_own_verifications()
    {
        await InsertAsync(Pending("v1"));
        await InsertAsync(Pending("v2", phone: "12125550111"));
        var first = await EnqueueAsync("v1");
        Assert.Single(await ClaimAsync("a", max: 10, leaseUntil: Now + 1_000));
        var second = await EnqueueAsync("v2");

        var beforeExpiry = await ClaimAsync("b", max: 10, now: Now + 999, leaseUntil: Now + 1_000);
        var afterExpiry = await ClaimAsync("c", max: 10, now: Now + 1_000, leaseUntil: Now + 2_000);

        // "b" took only the new job, with the same lease end as "a"'s claim: its context is its own verification's.
        Assert.Equal([(second, "v2")], beforeExpiry.Select(j => (j.Id, j.Context!.Id)));
        // Both leases ran out at Now + 1000: "c" takes both jobs over.
        Assert.Equal([(first, 2L, "v1"), (second, 2L, "v2")], afterExpiry.OrderBy(j => j.Id).Select(j => (j.Id, j.Tries, j.Context!.Id)));
        Assert.Equal(("c", Now + 2_000), ((await SendAsync(first)).LockedBy, (await SendAsync(first)).LockedUntil));
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_job()
    {
        await InsertAsync(Pending("v1"));
        var queued = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            queued.Add(await EnqueueAsync("v1", dueAt: Now - i));
        }

        var claimers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await ClaimAsync("i" + n, max: 3) is { Count: > 0 } jobs)
            {
                mine.AddRange(jobs.Select(j => j.Id));
            }

            return mine;
        }, Token));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(queued.Order(), claimed.Order());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE tries <> 1"));
    }

    [Fact]
    public async Task Releasing_every_claim_makes_claimed_jobs_claimable_at_once_and_leaves_the_others()
    {
        await InsertAsync(Pending("v1"));
        var claimed = await EnqueueAsync("v1");
        await ClaimAsync("dead", max: 10);
        var queued = await EnqueueAsync("v1", dueAt: Now + 10_000);
        var done = await EnqueueAsync("v1");
        await WriteAsync(s => OutboxStore.FinishAsync(s, done, "done", SendStatus.Unknown, null, Now));

        Assert.Equal(1, await OutboxStore.ReleaseAllClaimsAsync(Database, Token));

        Assert.Equal([claimed], (await ClaimAsync("alive", max: 10)).Select(j => j.Id));
        Assert.Equal(("queued", null), ((await SendAsync(queued)).JobState, (await SendAsync(queued)).LockedUntil));
        Assert.Equal("done", (await SendAsync(done)).JobState);
    }

    [Fact]
    public async Task A_finished_job_keeps_its_outcome_and_is_never_claimed_again()
    {
        await InsertAsync(Pending("v1"));
        var send = await EnqueueAsync("v1");
        await ClaimAsync("a", max: 1);

        await WriteAsync(s => OutboxStore.FinishAsync(s, send, "failed", SendStatus.Failed, "template_not_found", Now + 5));

        var row = await SendAsync(send);
        Assert.Equal(("failed", "failed", "template_not_found", Now + 5), (row.JobState, row.DeliveryStatus, row.FailureReason, row.StatusAt));
        Assert.Null(row.LockedUntil);
        Assert.Empty(await ClaimAsync("b", max: 10, now: Now + Lease * 10));
    }

    [Fact]
    public async Task An_accepted_send_records_its_message_id_and_poll_and_keeps_a_status_that_came_first()
    {
        await InsertAsync(Pending("v1"));
        var plain = await EnqueueAsync("v1");
        var overtaken = await EnqueueAsync("v1");
        await ClaimAsync("a", max: 10);
        // News of the message that was applied before the acceptance was recorded ranks higher, and stays.
        await WriteAsync(s => s.Connection.ExecuteAsync("UPDATE sends SET delivery_status = 'delivered' WHERE id = @overtaken", new { overtaken }, s.Transaction));

        await WriteAsync(s => OutboxStore.MarkAcceptedAsync(s, plain, "wamid.1", Now + 1, Now + 30_000));
        await WriteAsync(s => OutboxStore.MarkAcceptedAsync(s, overtaken, "wamid.2", Now + 2, Now + 30_000));

        var row = await SendAsync(plain);
        Assert.Equal(("done", "wamid.1", Now + 1, "accepted", Now + 1, Now + 30_000), (row.JobState, row.MessageId, row.AcceptedAt, row.DeliveryStatus, row.StatusAt, row.NextPollAt));
        Assert.Null(row.LockedUntil);
        Assert.Equal(("wamid.2", "delivered"), ((await SendAsync(overtaken)).MessageId, (await SendAsync(overtaken)).DeliveryStatus));
        Assert.Empty(await ClaimAsync("b", max: 10, now: Now + Lease * 10));
    }

    [Fact]
    public async Task A_send_queued_by_the_provider_records_its_job_id()
    {
        await InsertAsync(Pending("v1"));
        var send = await EnqueueAsync("v1");
        await ClaimAsync("a", max: 1);

        await WriteAsync(s => OutboxStore.MarkProviderQueuedAsync(s, send, "job-7", Now + 3));

        var row = await SendAsync(send);
        Assert.Equal(("done", "job-7", "provider_queued", Now + 3), (row.JobState, row.ProviderJobId, row.DeliveryStatus, row.StatusAt));
        Assert.Null(row.LockedUntil);
        Assert.Null(row.MessageId);
    }

    [Fact]
    public async Task A_rescheduled_job_is_queued_again_for_its_new_time_with_its_tries_kept()
    {
        await InsertAsync(Pending("v1"));
        var send = await EnqueueAsync("v1");
        await ClaimAsync("a", max: 1);

        await WriteAsync(s => OutboxStore.RescheduleAsync(s, send, Now + 5_000, "provider_unavailable"));

        var row = await SendAsync(send);
        Assert.Equal(("queued", Now + 5_000, "provider_unavailable", 1L), (row.JobState, row.DueAt, row.FailureReason, row.Tries));
        Assert.Null(row.LockedUntil);
        Assert.Empty(await ClaimAsync("b", max: 10, now: Now + 4_999, leaseUntil: Now + 4_999 + Lease));
        Assert.Equal([(send, 2L)], (await ClaimAsync("b", max: 10, now: Now + 5_000, leaseUntil: Now + 5_000 + Lease)).Select(j => (j.Id, j.Tries)));
    }

    [Theory]
    [InlineData("queued", "queued", true)]
    [InlineData("claimed", "queued", true)]
    [InlineData("done", "accepted", true)]
    [InlineData("done", "provider_queued", true)]
    [InlineData("done", "unknown", true)]
    [InlineData("done", "sent", true)]
    [InlineData("done", "delivered", true)]
    [InlineData("done", "read", true)]
    [InlineData("failed", "failed", false)]
    [InlineData("canceled", "queued", false)]
    public async Task Another_send_is_live_while_it_may_still_reach_the_user(string jobState, string deliveryStatus, bool live)
    {
        await InsertAsync(Pending("v1"));
        await InsertAsync(Pending("v2", phone: "12125550111"));
        var failed = await EnqueueAsync("v1");
        var other = await EnqueueAsync("v1");
        var elsewhere = await EnqueueAsync("v2");
        await WriteAsync(async s =>
        {
            await OutboxStore.FinishAsync(s, failed, "failed", SendStatus.Failed, null, Now);
            await s.Connection.ExecuteAsync("UPDATE sends SET job_state = @jobState, delivery_status = @deliveryStatus WHERE id = @other",
                new { jobState, deliveryStatus, other }, s.Transaction);
        });

        Assert.Equal(live, await WriteAsync(s => OutboxStore.HasLiveSendAsync(s, "v1", failed)));
        // The send asked about never counts, nor another verification's.
        Assert.False(await WriteAsync(s => OutboxStore.HasLiveSendAsync(s, "v1", other)));
        Assert.True(await WriteAsync(s => OutboxStore.HasLiveSendAsync(s, "v2", failed)));
        Assert.False(await WriteAsync(s => OutboxStore.HasLiveSendAsync(s, "v2", elsewhere)));
    }

    [Fact]
    public async Task Canceling_takes_only_the_verifications_queued_jobs_not_one_in_flight()
    {
        await InsertAsync(Pending("v1"));
        await InsertAsync(Pending("v2", phone: "12125550111"));
        var inFlight = await EnqueueAsync("v1");
        await ClaimAsync("a", max: 1, leaseUntil: Now + Lease * 10);
        var queued = await EnqueueAsync("v1");
        var later = await EnqueueAsync("v1", dueAt: Now + 60_000);
        var elsewhere = await EnqueueAsync("v2");

        Assert.Equal(2, await WriteAsync(s => OutboxStore.CancelQueuedAsync(s, "v1", Now + 7)));

        Assert.Equal(("canceled", Now + 7), ((await SendAsync(queued)).JobState, (await SendAsync(queued)).StatusAt));
        Assert.Equal("canceled", (await SendAsync(later)).JobState);
        Assert.Equal("claimed", (await SendAsync(inFlight)).JobState);
        Assert.Equal("queued", (await SendAsync(elsewhere)).JobState);
        Assert.Equal([elsewhere], (await ClaimAsync("b", max: 10, now: Now + 60_000)).Select(j => j.Id));
    }

    private static VerificationRow WithChannel(VerificationRow row, string channel)
    {
        row.Channel = channel;
        return row;
    }

    private Task<long> EnqueueAsync(string verificationId, SendReason reason = SendReason.Start, long dueAt = Now) =>
        WriteAsync(s => OutboxStore.EnqueueAsync(s, verificationId, reason, dueAt, Now));

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string instance, int max, long now = Now, long? leaseUntil = null) =>
        await OutboxStore.ClaimAsync(Database, instance, max, now, leaseUntil ?? now + Lease, Token);

    private Task<SendState> SendAsync(long id) => ReadAsync(c => c.QuerySingleAsync<SendState>(SendState.Sql, new { id }));
}

[Trait("Storage", "sqlite-only")]
public sealed class OutboxStoreOnSqlite() : OutboxStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class OutboxStoreOnPostgres() : OutboxStoreContract(TestDatabase.Postgres);

using Dapper;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>Every method of <see cref="DeliveryStore"/>, on each database.</summary>
public abstract class DeliveryStoreContract(TestDatabase kind) : StoreContract(kind)
{
    private const long PollAfter = 10_000;

    [Fact]
    public async Task A_receipt_is_stored_once_per_message_and_status_with_every_column_and_the_first_copy_kept()
    {
        var failed = News("m1", "failed", errorText: "undeliverable", errorCode: 131026, failureReason: "undeliverable", temporary: 1);

        Assert.True(await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, News("m1", "sent"), Now)));
        Assert.False(await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, News("m1", "sent", errorText: "again"), Now + 1)));
        Assert.True(await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, failed, Now + 2)));

        Assert.Equal(2L, await ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts"));
        Assert.Equal((Now, (string?)null, 1L), await ReadAsync(c => c.QuerySingleAsync<(long, string?, long)>(
            "SELECT received_at, error_text, applied FROM delivery_receipts WHERE message_id = 'm1' AND status = 'sent'")));
        var stored = await ReadAsync(c => c.QuerySingleAsync<(long, long?, string?, long?, string?, long, long)>("""
            SELECT received_at, occurred_at, error_text, error_code, failure_reason, temporary, applied
            FROM delivery_receipts WHERE message_id = 'm1' AND status = 'failed'
            """));
        Assert.Equal((Now + 2, (long?)(Now - 5), "undeliverable", (long?)131026, "undeliverable", 1L, 1L), stored);
    }

    [Fact]
    public async Task A_receipt_marked_unapplied_waits_for_its_message_id_until_marked_applied()
    {
        var failed = News("m1", "failed", errorText: "undeliverable", errorCode: 131026, failureReason: "undeliverable", temporary: 1);
        var delivered = News("m1", "delivered");
        var elsewhere = News("m2", "sent");
        await WriteAsync(async s =>
        {
            foreach (var receipt in new[] { failed, delivered, elsewhere, News("m1", "sent") })
            {
                await DeliveryStore.TryInsertReceiptAsync(s, receipt, Now);
            }

            foreach (var receipt in new[] { failed, delivered, elsewhere })
            {
                await DeliveryStore.MarkAppliedAsync(s, receipt, applied: false);
            }
        });

        var waiting = await WriteAsync(s => DeliveryStore.WaitingReceiptsAsync(s, "m1"));
        Assert.Equivalent(new[] { failed, delivered }, waiting, strict: true);

        Assert.Equal(1, await WriteAsync(s => DeliveryStore.MarkAppliedAsync(s, failed, applied: true)));
        Assert.Equal(0, await WriteAsync(s => DeliveryStore.MarkAppliedAsync(s, News("m3", "sent"), applied: true)));
        Assert.Equal(["delivered"], (await WriteAsync(s => DeliveryStore.WaitingReceiptsAsync(s, "m1"))).Select(r => r.Status));
        Assert.Equal(["sent"], (await WriteAsync(s => DeliveryStore.WaitingReceiptsAsync(s, "m2"))).Select(r => r.Status));
    }

    [Fact]
    public async Task A_status_moves_a_send_only_forward_by_rank_and_read_stops_its_polling()
    {
        var send = await AcceptedSendAsync("v1", "m1");

        Assert.Null(await ApplyAsync(News("m1", "accepted"), Now + 1));
        Assert.Null(await ApplyAsync(News("m1", "unknown"), Now + 1));
        var moved = await ApplyAsync(News("m1", "sent"), Now + 2);
        Assert.Equal((send, "v1", "start"), (moved?.Id, moved?.VerificationId, moved?.Reason));
        Assert.Equal(("sent", Now + 2, (long?)(Now + PollAfter)), await StateAsync(send));
        Assert.Null(await ApplyAsync(News("m1", "sent"), Now + 3));

        Assert.Equal(send, (await ApplyAsync(News("m1", "delivered"), Now + 3))?.Id);
        Assert.Equal(("delivered", Now + 3, (long?)(Now + PollAfter)), await StateAsync(send)); // polled on, for read
        Assert.Equal(send, (await ApplyAsync(News("m1", "read"), Now + 4))?.Id);
        Assert.Null(await ApplyAsync(News("m1", "delivered"), Now + 5));
        Assert.Null(await ApplyAsync(News("m1", "failed", errorText: "late"), Now + 6));
        Assert.Equal(("read", Now + 4, (long?)null), await StateAsync(send));
        Assert.Null((await SendAsync(send)).FailureReason);
        Assert.Null(await ApplyAsync(News("nobody", "delivered"), Now + 7));
    }

    [Fact]
    public async Task A_failure_records_its_error_and_stops_polling_and_news_of_the_same_rank_does_not_move_a_send()
    {
        var failing = await AcceptedSendAsync("v1", "m1");
        var providerQueued = await AcceptedSendAsync("v2", "m2", phone: "12125550111");
        await WriteAsync(s => s.Connection.ExecuteAsync("UPDATE sends SET delivery_status = 'provider_queued' WHERE id = @providerQueued", new { providerQueued }, s.Transaction));

        Assert.Equal(failing, (await ApplyAsync(News("m1", "failed", errorText: "undeliverable", errorCode: 131026), Now + 1))?.Id);
        Assert.Equal(failing, (await ApplyAsync(News("m1", "delivered"), Now + 2))?.Id);
        // "unknown" and "provider_queued" share a rank: neither is news of the other.
        Assert.Null(await ApplyAsync(News("m2", "unknown"), Now + 3));

        var row = await SendAsync(failing);
        Assert.Equal(("delivered", "undeliverable", (long?)131026, (long?)null), (row.DeliveryStatus, row.FailureReason, row.ErrorCode, row.NextPollAt));
        Assert.Equal("provider_queued", (await SendAsync(providerQueued)).DeliveryStatus);
        Assert.Equal(providerQueued, (await ApplyAsync(News("m2", "accepted"), Now + 4))?.Id);
    }

    [Fact]
    public async Task News_for_a_message_id_no_send_has_waits_and_is_applied_once_the_send_gets_the_id()
    {
        var sent = News("m9", "sent");
        var delivered = News("m9", "delivered");
        foreach (var receipt in new[] { delivered, sent })
        {
            Assert.True(await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, receipt, Now)));
            Assert.Null(await ApplyAsync(receipt, Now));
            Assert.Null(await WriteAsync(s => DeliveryStore.FindSendAsync(s, "m9")));
            await WriteAsync(s => DeliveryStore.MarkAppliedAsync(s, receipt, applied: false));
        }

        var send = await AcceptedSendAsync("v1", "m9");
        Assert.NotNull(await WriteAsync(s => DeliveryStore.FindSendAsync(s, "m9")));
        await WriteAsync(async s =>
        {
            foreach (var receipt in (await DeliveryStore.WaitingReceiptsAsync(s, "m9")).OrderBy(r => r.Status == "sent" ? 0 : 1))
            {
                Assert.Equal(send, (await DeliveryStore.ApplyAsync(s, receipt, Now + 1))?.Id);
                await DeliveryStore.MarkAppliedAsync(s, receipt, applied: true);
            }
        });

        Assert.Empty(await WriteAsync(s => DeliveryStore.WaitingReceiptsAsync(s, "m9")));
        Assert.Equal(("delivered", Now + 1, (long?)(Now + PollAfter)), await StateAsync(send)); // polled on, for read
    }

    [Fact]
    public async Task A_sends_message_id_and_a_verifications_creation_time_are_looked_up()
    {
        var verification = Pending("v1");
        verification.CreatedAt = Now - 1_234;
        await InsertAsync(verification);
        var send = await WriteAsync(s => OutboxStore.EnqueueAsync(s, "v1", SendReason.Start, Now, Now));
        await WriteAsync(s => OutboxStore.MarkAcceptedAsync(s, send, "m1", Now, Now + PollAfter));

        Assert.NotNull(await WriteAsync(s => DeliveryStore.FindSendAsync(s, "m1")));
        Assert.Null(await WriteAsync(s => DeliveryStore.FindSendAsync(s, "m2")));
        Assert.Equal(Now - 1_234, await WriteAsync(s => DeliveryStore.VerificationCreatedAtAsync(s, "v1")));
        Assert.Null(await WriteAsync(s => DeliveryStore.VerificationCreatedAtAsync(s, "v2")));
    }

    [Fact]
    public async Task A_poll_claim_takes_due_sends_with_a_message_id_awaiting_news_most_overdue_first()
    {
        var later = await AcceptedSendAsync("v1", "m1", pollAt: Now - 10);
        var overdue = await AcceptedSendAsync("v2", "m2", phone: "12125550111", pollAt: Now - 20);
        var sent = await AcceptedSendAsync("v3", "m3", phone: "12125550122", pollAt: Now - 5);
        var notDue = await AcceptedSendAsync("v4", "m4", phone: "12125550133", pollAt: Now + 1);
        var read = await AcceptedSendAsync("v5", "m5", phone: "12125550144", pollAt: Now - 30);
        var noMessage = await AcceptedSendAsync("v6", "m6", phone: "12125550155", pollAt: Now - 40);
        var delivered = await AcceptedSendAsync("v7", "m7", phone: "12125550166", pollAt: Now - 1);
        await WriteAsync(async s =>
        {
            await s.Connection.ExecuteAsync("UPDATE sends SET delivery_status = 'sent', channel = 'sms' WHERE id = @sent", new { sent }, s.Transaction);
            await s.Connection.ExecuteAsync("UPDATE sends SET delivery_status = CASE WHEN id = @read THEN 'read' ELSE 'delivered' END WHERE id IN (@read, @delivered)", new { read, delivered }, s.Transaction);
            await s.Connection.ExecuteAsync("UPDATE sends SET message_id = NULL WHERE id = @noMessage", new { noMessage }, s.Transaction);
        });

        var first = await ClaimPollsAsync(Now, max: 2);
        var second = await ClaimPollsAsync(Now, max: 10);

        Assert.Equal([(later, "m1"), (overdue, "m2")], first.OrderBy(p => p.Id).Select(p => (p.Id, p.MessageId))); // the most overdue two, in no particular order
        Assert.Equal([(sent, "m3", "sms"), (delivered, "m7", "")], second.OrderBy(p => p.Id).Select(p => (p.Id, p.MessageId, p.Channel))); // delivered: polled on, for read
        var claimed = await SendAsync(overdue);
        Assert.Equal((1L, (long?)(Now + PollAfter)), (claimed.Polls, claimed.NextPollAt));
        Assert.Equal((0L, (long?)(Now + 1)), ((await SendAsync(notDue)).Polls, (await SendAsync(notDue)).NextPollAt));
        Assert.Equal(0L, (await SendAsync(read)).Polls);
        Assert.Equal(0L, (await SendAsync(noMessage)).Polls);
    }

    [Fact]
    public async Task Polling_backs_off_to_eight_times_the_first_delay_and_polls_an_expired_code_one_last_time()
    {
        var send = await AcceptedSendAsync("v1", "m1", pollAt: Now);
        var at = Now;
        foreach (var multiple in new[] { 1, 3, 5, 8, 8 })
        {
            Assert.Equal([send], (await ClaimPollsAsync(at, max: 10)).Select(p => p.Id));
            var next = (await SendAsync(send)).NextPollAt;
            Assert.Equal(at + PollAfter * multiple, next);
            Assert.Empty(await ClaimPollsAsync(next!.Value - 1, max: 10));
            at = next.Value;
        }

        // The verification expires at Now + 600000: the poll due after that is the last.
        at = Now + 600_000;
        Assert.Equal([send], (await ClaimPollsAsync(at, max: 10)).Select(p => p.Id));
        Assert.Equal((6L, (long?)null), ((await SendAsync(send)).Polls, (await SendAsync(send)).NextPollAt));
        Assert.Empty(await ClaimPollsAsync(at + PollAfter * 100, max: 10));
    }

    [Fact]
    public async Task Concurrent_poll_claimers_never_get_the_same_send()
    {
        await InsertAsync(Pending("v1"));
        var due = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            var send = await WriteAsync(s => OutboxStore.EnqueueAsync(s, "v1", SendReason.Start, Now, Now));
            await WriteAsync(s => OutboxStore.MarkAcceptedAsync(s, send, "m" + i, Now, Now - i));
            due.Add(send);
        }

        var claimers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await ClaimPollsAsync(Now, max: 3) is { Count: > 0 } polls)
            {
                mine.AddRange(polls.Select(p => p.Id));
            }

            return mine;
        }, Token));
        var claimed = (await Task.WhenAll(claimers)).SelectMany(ids => ids).ToList();

        Assert.Equal(due.Order(), claimed.Order());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE polls <> 1"));
    }

    [Fact]
    public async Task Past_the_cap_the_oldest_waiting_receipts_are_trimmed_first_and_applied_ones_never()
    {
        await InsertUnknownAsync(News("m1", "sent"), Now - 50);
        await InsertUnknownAsync(News("m2", "sent"), Now - 40);
        await InsertUnknownAsync(News("m3", "delivered"), Now - 30);
        await InsertUnknownAsync(News("m3", "sent"), Now - 30);
        await InsertUnknownAsync(News("m4", "sent"), Now - 20);
        await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, News("m0", "sent"), Now - 100));

        Assert.Equal(0, await WriteAsync(s => DeliveryStore.TrimUnknownReceiptsAsync(s, 5)));
        Assert.Equal(2, await WriteAsync(s => DeliveryStore.TrimUnknownReceiptsAsync(s, 3)));
        Assert.Equal(["m0/sent", "m3/delivered", "m3/sent", "m4/sent"], await ReceiptsAsync());
        Assert.Equal(0, await WriteAsync(s => DeliveryStore.TrimUnknownReceiptsAsync(s, 3)));
        // Receipts that arrived together go in a fixed order (message id, then status).
        Assert.Equal(1, await WriteAsync(s => DeliveryStore.TrimUnknownReceiptsAsync(s, 2)));
        Assert.Equal(["m0/sent", "m3/sent", "m4/sent"], await ReceiptsAsync());
        Assert.Equal(2, await WriteAsync(s => DeliveryStore.TrimUnknownReceiptsAsync(s, 0)));
        Assert.Equal(["m0/sent"], await ReceiptsAsync());
    }

    [Fact]
    public async Task Waiting_receipts_received_before_the_time_are_purged_and_applied_ones_kept()
    {
        await InsertUnknownAsync(News("m1", "sent"), Now - 2);
        await InsertUnknownAsync(News("m2", "sent"), Now - 1);
        await InsertUnknownAsync(News("m3", "sent"), Now);
        await WriteAsync(s => DeliveryStore.TryInsertReceiptAsync(s, News("m0", "sent"), Now - 100));

        Assert.Equal(2, await WriteAsync(s => DeliveryStore.PurgeUnknownReceiptsAsync(s, Now)));
        Assert.Equal(["m0/sent", "m3/sent"], await ReceiptsAsync());
    }

    private static Receipt News(string messageId, string status, string? errorText = null, long? errorCode = null, string? failureReason = null, long temporary = 0) => new()
    {
        MessageId = messageId,
        Status = status,
        OccurredAt = Now - 5,
        ErrorText = errorText,
        ErrorCode = errorCode,
        FailureReason = failureReason,
        Temporary = temporary,
    };

    /// <summary>A verification with one send the channel accepted as <paramref name="messageId"/>, first polled at <paramref name="pollAt"/>.</summary>
    private async Task<long> AcceptedSendAsync(string verificationId, string messageId, string phone = "12125550100", long pollAt = Now + PollAfter)
    {
        await InsertAsync(Pending(verificationId, phone));
        var send = await WriteAsync(s => OutboxStore.EnqueueAsync(s, verificationId, SendReason.Start, Now, Now));
        await WriteAsync(s => OutboxStore.MarkAcceptedAsync(s, send, messageId, Now, pollAt));
        return send;
    }

    private Task<ReceiptTarget?> ApplyAsync(Receipt receipt, long now) => WriteAsync(s => DeliveryStore.ApplyAsync(s, receipt, now));

    private Task<List<PollTarget>> ClaimPollsAsync(long now, int max) => DeliveryStore.ClaimDuePollsAsync(Database, now, PollAfter, max, Token);

    private Task InsertUnknownAsync(Receipt receipt, long receivedAt) => WriteAsync(async s =>
    {
        await DeliveryStore.TryInsertReceiptAsync(s, receipt, receivedAt);
        await DeliveryStore.MarkAppliedAsync(s, receipt, applied: false);
    });

    private async Task<List<string>> ReceiptsAsync() =>
        (await ReadAsync(c => c.QueryAsync<string>("SELECT message_id || '/' || status FROM delivery_receipts ORDER BY message_id, status"))).ToList();

    private Task<SendState> SendAsync(long id) => ReadAsync(c => c.QuerySingleAsync<SendState>(SendState.Sql, new { id }));

    private async Task<(string, long?, long?)> StateAsync(long id)
    {
        var row = await SendAsync(id);
        return (row.DeliveryStatus, row.StatusAt, row.NextPollAt);
    }
}

[Trait("Storage", "sqlite-only")]
public sealed class DeliveryStoreOnSqlite() : DeliveryStoreContract(TestDatabase.Sqlite);

[Trait("Storage", "postgres-only")]
public sealed class DeliveryStoreOnPostgres() : DeliveryStoreContract(TestDatabase.Postgres);

using OtpGate.Verification.Contract;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Sandbox;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>The dispatcher and delivery tracking against the real sandbox on loopback, on the real clock with short sandbox delays.</summary>
public sealed class DispatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_started_verification_is_sent_once_with_the_code_in_body_and_button_and_approved_with_it()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0100");

        await engine.Dispatcher.DispatchDueAsync(None);

        var message = Assert.Single(sandbox.Messages.GetMessages("12125550100"));
        Assert.Equal(message.BodyCode, message.ButtonCode);
        // Polling stops at delivered: "read" needs read receipts and may never come.
        var snapshot = await PollUntilAsync(engine, id, s => WireNames.ParseSendStatus(s.DeliveryStatus).IsDelivered());
        Assert.True(WireNames.ParseSendStatus(snapshot.DeliveryStatus).IsDelivered(), snapshot.DeliveryStatus);
        Assert.Equal(message.Id, snapshot.Sends[0].MessageId);
        Assert.Contains(snapshot.Timeline, t => t.Kind == "delivery" && t.Status == SendStatus.Delivered.ToWireName());
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550100"));
        Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, message.BodyCode!, None)).Succeeded);
    }

    [Fact]
    public async Task A_number_that_is_not_on_WhatsApp_fails_the_verification_with_a_reason()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0101");

        var snapshot = await PollUntilAsync(engine, id, s => s.Status != VerificationStatus.Pending);

        Assert.Equal(VerificationStatus.Failed, snapshot.Status);
        Assert.Equal(FailureReason.Undeliverable.ToWireName(), snapshot.FailureReason);
        Assert.Equal(131026, snapshot.Sends[0].ErrorCode);
    }

    [Fact]
    public async Task Rate_limited_sends_are_retried_until_accepted()
    {
        // On a driven clock: the retries wait out the sandbox's Retry-After (1 s) on it, however slow the machine is.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineAsync(sandbox, time);
        var id = await engine.StartVerificationAsync("+1 212 555 0104");

        // Refused twice with 429: each time the send is put back until Retry-After has passed, and not tried before.
        for (var refusal = 1; refusal <= 2; refusal++)
        {
            await engine.Dispatcher.DispatchDueAsync(None);
            Assert.Equal(refusal, sandbox.Messages.GetRequestCount("12125550104"));
            time.Advance(TimeSpan.FromMilliseconds(999));
            await engine.Dispatcher.DispatchDueAsync(None);
            Assert.Equal(refusal, sandbox.Messages.GetRequestCount("12125550104"));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await engine.Dispatcher.DispatchDueAsync(None);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.NotNull(snapshot.Sends[0].MessageId);
        Assert.Equal(3, sandbox.Messages.GetRequestCount("12125550104"));
        Assert.Single(sandbox.Messages.GetMessages("12125550104"));
        Assert.Equal(2, snapshot.Timeline.Count(t => t.Kind == "send_retry"));
    }

    [Fact]
    public async Task A_message_refused_by_1msg_for_want_of_opt_in_fails_the_verification_as_undeliverable_when_there_is_no_sms()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0107");

        await engine.Dispatcher.DispatchDueAsync(None);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.Equal(VerificationStatus.Failed, snapshot.Status);
        Assert.Equal(FailureReason.Undeliverable.ToWireName(), snapshot.FailureReason);
    }

    [Fact]
    public async Task A_server_error_is_ambiguous_and_resent_once_with_the_same_code()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0105");

        await engine.Dispatcher.DispatchDueAsync(None);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;

        Assert.Equal(2, sandbox.Messages.GetRequestCount("12125550105")); // the send and its one automatic resend
        Assert.Equal([SendReason.Start.ToWireName(), SendReason.AmbiguousRetry.ToWireName()], snapshot.Sends.Select(s => s.Reason));
        Assert.All(snapshot.Sends, s => Assert.Equal(SendStatus.Unknown.ToWireName(), s.Status));
        Assert.Equal(VerificationStatus.Pending, snapshot.Status);
    }

    [Fact]
    public async Task Statuses_that_arrive_before_the_message_id_is_known_are_applied_when_it_is()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.Dispatcher.DispatchDueAsync(None);
        var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;
        // Pretend the id was not recorded yet: detach it, feed statuses, then record it again.
        await engine.ScalarAsync<long>("UPDATE sends SET message_id = NULL, delivery_status = 'queued' RETURNING 0");

        await engine.IngestAsync([
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Read, "read", null, "12125550100", null, null),
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Delivered, "delivered", null, "12125550100", null, null),
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Read, "read", null, "12125550100", null, null),
        ], None);
        Assert.Equal(SendStatus.Queued.ToWireName(), (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].Status);
        await using (var scope = await engine.Database.BeginWriteAsync(None))
        {
            // What the dispatcher does when 1MSG answers: record the id, then apply what waited for it.
            await Dapper.SqlMapper.ExecuteAsync(scope.Connection, "UPDATE sends SET message_id = @messageId, delivery_status = 'accepted'", new { messageId }, scope.Transaction);
            await engine.Intake.ReconcileAsync(scope, messageId, engine.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            await scope.CommitAsync(None);
        }

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(SendStatus.Read.ToWireName(), snapshot.Sends[0].Status);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE applied = 0"));
    }

    [Fact]
    public async Task A_late_sent_status_never_overwrites_delivered_and_duplicates_are_harmless()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox);
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.Dispatcher.DispatchDueAsync(None);
        var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;

        var fresh = await engine.IngestAsync([
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Delivered, "delivered", null, null, null, null),
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Sent, "sent", null, null, null, null),
            new(messageId, OneMsg.Webhooks.DeliveryStatus.Delivered, "delivered", null, null, null, null),
        ], None);

        Assert.Equal(2, fresh);
        Assert.Equal(SendStatus.Delivered.ToWireName(), (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.DeliveryStatus);
    }
}

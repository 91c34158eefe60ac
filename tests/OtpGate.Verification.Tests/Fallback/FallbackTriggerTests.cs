using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Fallback.FallbackHarness;

namespace OtpGate.Verification.Tests.Fallback;

/// <summary>The three triggers of the fallback to SMS, each from its real signal, and what the SMS then does to the verification.</summary>
public sealed class FallbackTriggerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static TimelineEntry FallbackEntry(VerificationSnapshot v) => Assert.Single(v.Timeline, t => t.Kind == "fallback");

    [Fact]
    public async Task A_number_not_on_WhatsApp_gets_the_same_code_by_SMS_and_the_verification_stays_pending()
    {
        await using var h = await StartAsync();
        using var fallbacks = new MetricCollector<long>(h.Engine.Services.GetRequiredService<IMeterFactory>(), VerificationMetrics.MeterName, "otpgate.fallbacks");
        var (id, code) = await h.StartAndSendAsync(NotOnWhatsApp);

        // The sandbox fails it with 131026 once its clock passes "sent"; the status poll brings the news in.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Sandbox.Messages.WaitForMessageAsync("12125550101", m => m.Status == "failed", TestContext.Current.CancellationToken);
        await h.Engine.Poller.PollDueAsync(None);
        await h.Engine.Dispatcher.DispatchDueAsync(None);
        var v = await h.GetAsync(id);

        Assert.Equal(VerificationStatus.Pending, v.Status);
        var sms = Assert.Single(h.Sms.Sent);
        Assert.Equal(code, sms.Code);
        Assert.Equal([("whatsapp", "start", "failed"), ("sms", "fallback", "accepted")], v.Sends.Select(s => (s.Channel, s.Reason, s.Status)));
        var entry = FallbackEntry(v);
        Assert.StartsWith("whatsapp_undeliverable: ", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("131026", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(2, entry.Sequence);
        Assert.Equal(new FallbackSnapshot("sms", "whatsapp_undeliverable", entry.At), v.Fallback);
        Assert.False(v.SmsAvailable);
        var counted = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal(("default", "whatsapp_undeliverable"), (counted.Tags["service"], counted.Tags["cause"]));
        Assert.True((await h.Engine.Verifications.CheckAsync(Engine.Owner, id, code, None)).Succeeded);
    }

    [Fact]
    public async Task A_refusal_at_the_send_for_want_of_opt_in_falls_back_at_once()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync(NotOptedIn);
        var v = await h.GetAsync(id);

        Assert.Equal(VerificationStatus.Pending, v.Status);
        Assert.Equal(code, Assert.Single(h.Sms.Sent).Code);
        Assert.StartsWith("whatsapp_undeliverable: refused: ", FallbackEntry(v).Detail, StringComparison.Ordinal);
        Assert.Equal(
            ["created", "send_queued", "send_failed", "fallback", "send_queued", "accepted"],
            v.Timeline.Select(t => t.Kind));
    }

    [Fact]
    public async Task No_delivered_within_the_deadline_sends_the_code_by_SMS_once_and_a_late_WhatsApp_delivered_still_works()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync(NeverDelivered);
        var whatsApp = (await h.GetAsync(id)).Sends[0].MessageId!;

        await h.PassDeadlineAsync(TimeSpan.FromSeconds(14));
        Assert.Empty(h.Sms.Sent);
        await h.PassDeadlineAsync(TimeSpan.FromSeconds(2));
        await h.PassDeadlineAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(code, Assert.Single(h.Sms.Sent).Code);

        await h.IngestAsync(whatsApp, DeliveryStatus.Delivered);
        var v = await h.GetAsync(id);
        Assert.Equal("not_delivered_in_time", v.Fallback!.Cause);
        Assert.StartsWith("not_delivered_in_time: no delivered status 16 s after WhatsApp accepted the message", FallbackEntry(v).Detail, StringComparison.Ordinal);
        Assert.Contains(v.Timeline, t => t.Kind == "delivery" && t.Status == "delivered" && t.Sequence == 1);
        Assert.Contains(v.Timeline, t => t.Kind == "accepted" && t.Sequence == 2);
        Assert.Equal(["delivered", "accepted"], v.Sends.Select(s => s.Status));

        Assert.True((await h.Engine.Verifications.CheckAsync(Engine.Owner, id, code, None)).Succeeded);
        Assert.Equal(Refusal.AlreadyApproved, (await h.Engine.Verifications.CheckAsync(Engine.Owner, id, code, None)).Refusal?.Reason);
        // The verification.sent events name the channel each message went on.
        const string Sent = "SELECT COUNT(*) FROM events WHERE type = 'verification.sent' AND payload LIKE @channel";
        Assert.Equal(1L, await h.Engine.ScalarAsync<long>(Sent, new { channel = "%\"channel\":\"sms\"%" }));
        Assert.Equal(1L, await h.Engine.ScalarAsync<long>(Sent, new { channel = "%\"channel\":\"whatsapp\"%" }));
    }

    [Fact]
    public async Task A_delivered_within_the_deadline_sends_no_SMS()
    {
        await using var h = await StartAsync();
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);

        await h.IngestAsync((await h.GetAsync(id)).Sends[0].MessageId!, DeliveryStatus.Delivered);
        await h.PassDeadlineAsync();

        Assert.Empty(h.Sms.Sent);
        Assert.Null((await h.GetAsync(id)).Fallback);
        Assert.Equal(0L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE fallback_due_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_user_asks_for_SMS_on_resend_without_waiting_out_the_cooldown_once()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync(NeverDelivered);
        Assert.True((await h.GetAsync(id)).SmsAvailable);

        var bySms = await h.Engine.Verifications.ResendAsync(Engine.Owner, id, None, channel: "sms");
        await h.Engine.Dispatcher.DispatchDueAsync(None);
        var again = await h.Engine.Verifications.ResendAsync(Engine.Owner, id, None, channel: "sms");

        Assert.Null(bySms.Refusal);
        Assert.Equal("user_request", bySms.Verification!.Fallback!.Cause);
        Assert.False(bySms.Verification.SmsAvailable);
        Assert.Equal(code, Assert.Single(h.Sms.Sent).Code);
        Assert.Equal(Refusal.Cooldown, again.Refusal?.Reason);
        // The deadline then finds an SMS already sent: no second one.
        await h.PassDeadlineAsync();
        Assert.Single(h.Sms.Sent);
    }

    [Fact]
    public async Task A_start_with_channel_sms_is_an_SMS_verification_from_the_start()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync("+1 212 555 0100", channel: "sms");
        var v = await h.GetAsync(id);

        Assert.Equal(code, Assert.Single(h.Sms.Sent).Code);
        Assert.Equal([("sms", "start")], v.Sends.Select(s => (s.Channel, s.Reason)));
        Assert.Null(v.Fallback);
        Assert.False(v.SmsAvailable);
        Assert.Equal("sms", await h.Engine.ScalarAsync<string>("SELECT channel FROM verifications WHERE id = @id", new { id }));
        // No fallback from SMS to anything: no deadline either.
        await h.PassDeadlineAsync();
        Assert.Single(h.Sms.Sent);
    }

    [Fact]
    public async Task A_start_with_channel_sms_on_a_pending_WhatsApp_verification_sends_its_code_by_SMS()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync(NeverDelivered);

        var again = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest(NeverDelivered, Channel: "sms"), None);
        await h.Engine.Dispatcher.DispatchDueAsync(None);

        Assert.Null(again.Refusal);
        Assert.Equal(id, again.Verification!.Id);
        Assert.Equal("user_request", again.Verification.Fallback!.Cause);
        Assert.Equal(code, Assert.Single(h.Sms.Sent).Code);
    }

    [Fact]
    public async Task An_Idempotency_Key_used_for_a_WhatsApp_start_is_refused_for_the_same_start_by_SMS()
    {
        await using var h = await StartAsync();
        var first = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", IdempotencyKey: "k-1"), None);
        var bySms = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", IdempotencyKey: "k-1", Channel: "sms"), None);
        var retry = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", IdempotencyKey: "k-1", Channel: "whatsapp"), None);

        Assert.Null(first.Refusal);
        Assert.Equal(Refusal.IdempotencyKeyReused, bySms.Refusal?.Reason);
        // Naming the default channel is the same request as naming none.
        Assert.Equal(first.Verification!.Id, retry.Verification!.Id);
    }

    [Fact]
    public async Task The_SMS_failing_for_good_fails_a_verification_whose_WhatsApp_message_failed()
    {
        await using var h = await StartAsync(sms: _ => new OtpGate.Verification.Channels.CodeRejected(OtpGate.Verification.Channels.FailureReason.Rejected, Permanent: true, "landline"));
        var (id, _) = await h.StartAndSendAsync(NotOptedIn);
        var v = await h.GetAsync(id);

        Assert.Equal(VerificationStatus.Failed, v.Status);
        Assert.Equal("rejected", v.FailureReason);
        Assert.Equal(["failed", "failed"], v.Sends.Select(s => s.Status));
    }

    [Fact]
    public async Task A_WhatsApp_failure_while_the_SMS_is_live_leaves_the_verification_pending()
    {
        await using var h = await StartAsync();
        var (id, code) = await h.StartAndSendAsync(NeverDelivered);
        await h.PassDeadlineAsync();

        await h.IngestAsync((await h.GetAsync(id)).Sends[0].MessageId!, DeliveryStatus.Failed, 131047, "Re-engagement message");

        Assert.Equal(VerificationStatus.Pending, (await h.GetAsync(id)).Status);
        Assert.Single(h.Sms.Sent);
        Assert.True((await h.Engine.Verifications.CheckAsync(Engine.Owner, id, code, None)).Succeeded);
    }
}

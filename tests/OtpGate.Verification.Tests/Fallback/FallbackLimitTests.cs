using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Fallback.FallbackHarness;

namespace OtpGate.Verification.Tests.Fallback;

/// <summary>What may stop a fallback: the send limits and the SMS cap, the service's settings, no SMS channel, and the operator's own errors.</summary>
public sealed class FallbackLimitTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task SMS_count_in_the_phones_send_limits_and_its_SMS_cap_and_a_fallback_over_the_cap_is_refused_visibly()
    {
        await using var h = await StartAsync(o => o.Sms.MaxPerPhonePerDay = 1);
        var (first, _) = await h.StartAndSendAsync(NeverDelivered, channel: "sms", purpose: "login");
        var (second, _) = await h.StartAndSendAsync(NeverDelivered, purpose: "registration");

        await h.PassDeadlineAsync();
        var v = await h.GetAsync(second);
        var third = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest(NeverDelivered, Purpose: "other", Channel: "sms"), None);

        Assert.Single(h.Sms.Sent); // the SMS start's only
        var refused = Assert.Single(v.Timeline, t => t.Kind == "fallback");
        Assert.StartsWith("not_delivered_in_time: ", refused.Detail, StringComparison.Ordinal);
        Assert.EndsWith(": refused: phone_sms_24h", refused.Detail, StringComparison.Ordinal);
        Assert.Null(refused.Sequence);
        Assert.Null(v.Fallback);
        Assert.Equal(VerificationStatus.Pending, v.Status);
        Assert.Equal(("rate_limited", "phone_sms_24h"), (third.Refusal!.Reason.ToWireName(), third.Refusal.Limit));
        Assert.Equal(2L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'send:12125550102'"));
        Assert.Equal(1L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'sms:12125550102'"));
        _ = first;
    }

    [Fact]
    public async Task The_SMS_a_fallback_sends_counts_in_the_phones_send_limit_and_one_over_it_is_refused()
    {
        await using var h = await StartAsync(o => o.MaxSendsPerPhonePer10Minutes = 2);
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);
        await h.PassDeadlineAsync();
        var over = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest(NeverDelivered, Purpose: "login"), None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var resend = await h.Engine.Verifications.ResendAsync(Engine.Owner, id, None);

        Assert.Single(h.Sms.Sent);
        Assert.Equal("phone_sends_10m", resend.Refusal?.Limit);
        Assert.Equal("phone_sends_10m", over.Refusal?.Limit);
        Assert.Equal(2L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'send:12125550102'"));
    }

    [Fact]
    public async Task A_fallback_over_the_phones_send_limit_is_refused_visibly()
    {
        await using var h = await StartAsync(o => o.MaxSendsPerPhonePer10Minutes = 1);
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);
        await h.PassDeadlineAsync();

        Assert.Empty(h.Sms.Sent);
        Assert.EndsWith(": refused: phone_sends_10m", Assert.Single((await h.GetAsync(id)).Timeline, t => t.Kind == "fallback").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_with_fallback_off_sends_no_SMS_and_refuses_a_resend_by_SMS()
    {
        await using var h = await StartAsync(o => o.Sms.Fallback = false);
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);
        await h.PassDeadlineAsync();
        var (undeliverable, _) = await h.StartAndSendAsync(NotOptedIn);
        var resend = await h.Engine.Verifications.ResendAsync(Engine.Owner, id, None, channel: "sms");

        Assert.Empty(h.Sms.Sent);
        Assert.False((await h.GetAsync(id)).SmsAvailable);
        Assert.Equal(Refusal.ChannelUnavailable, resend.Refusal?.Reason);
        Assert.Equal(VerificationStatus.Failed, (await h.GetAsync(undeliverable)).Status);
    }

    [Fact]
    public async Task Without_an_SMS_channel_nothing_falls_back_and_asking_for_SMS_is_channel_unavailable()
    {
        await using var h = await StartAsync(withSms: false);
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);
        await h.PassDeadlineAsync();

        var start = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", Channel: "sms"), None);
        var resend = await h.Engine.Verifications.ResendAsync(Engine.Owner, id, None, channel: "sms");
        var unknown = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", Channel: "pigeon"), None);

        Assert.Null((await h.GetAsync(id)).Fallback);
        Assert.Equal(Refusal.ChannelUnavailable, start.Refusal?.Reason);
        Assert.Equal(Refusal.ChannelUnavailable, resend.Refusal?.Reason);
        Assert.Equal(Refusal.InvalidRequest, unknown.Refusal?.Reason);
        Assert.Equal(0L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE fallback_due_at IS NOT NULL"));
    }

    public static TheoryData<FailureReason> OperatorErrors => new(Enum.GetValues<FailureReason>().Where(r => r != FailureReason.Undeliverable));

    [Theory]
    [MemberData(nameof(OperatorErrors))]
    public async Task A_permanent_refusal_that_is_not_about_the_number_fails_and_sends_no_SMS(FailureReason reason)
    {
        // Another WhatsApp-like channel answering with the reason, as an adapter classifies its template, namespace,
        // parameter, authorisation and request errors: the operator's to fix, never hidden behind an SMS.
        var chat = new SecondChannel("chat", _ => new CodeRejected(reason, Permanent: true, "as the channel said"));
        await using var h = await StartAsync(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<ICodeChannel>(s, chat));
        var started = await h.Engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);
        var id = started.Verification!.Id;
        await h.Engine.ScalarAsync<long>("UPDATE sends SET channel = 'chat' RETURNING 0");
        await h.Engine.Dispatcher.DispatchDueAsync(None);

        var v = await h.GetAsync(id);
        Assert.Single(chat.Sent);
        Assert.Empty(h.Sms.Sent);
        Assert.Equal(VerificationStatus.Failed, v.Status);
        Assert.Equal(reason.ToWireName(), v.FailureReason);
        Assert.DoesNotContain(v.Timeline, t => t.Kind == "fallback");
    }

    [Fact]
    public async Task A_template_1msg_does_not_know_fails_and_sends_no_SMS()
    {
        await using var h = await StartAsync(settings: new() { ["OneMsg:Template:Name"] = "no_such_template" });
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);

        var v = await h.GetAsync(id);
        Assert.Equal(VerificationStatus.Failed, v.Status);
        Assert.Equal("template_not_found", v.FailureReason);
        Assert.Empty(h.Sms.Sent);
    }

    [Fact]
    public async Task A_delivery_failure_that_is_not_about_the_number_sends_no_SMS()
    {
        await using var h = await StartAsync();
        var (id, _) = await h.StartAndSendAsync(NeverDelivered);

        await h.IngestAsync((await h.GetAsync(id)).Sends[0].MessageId!, OtpGate.OneMsg.Webhooks.DeliveryStatus.Failed, 132001, "Template does not exist");

        Assert.Equal(VerificationStatus.Failed, (await h.GetAsync(id)).Status);
        Assert.Empty(h.Sms.Sent);
    }

    [Fact]
    public async Task An_automatic_resend_of_an_SMS_goes_by_SMS_and_counts_in_the_limits()
    {
        await using var h = await StartAsync(sms: n => n == 1 ? new CodeOutcomeUnknown("timeout") : new CodeAccepted($"SM{n}"));
        var (id, code) = await h.StartAndSendAsync("+1 212 555 0100", channel: "sms");

        var v = await h.GetAsync(id);
        Assert.Equal([("sms", "start"), ("sms", "ambiguous_retry")], v.Sends.Select(s => (s.Channel, s.Reason)));
        Assert.Equal([code, code], h.Sms.Sent.Select(s => s.Code));
        Assert.Equal(2L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'send:12125550100'"));
        Assert.Equal(2L, await h.Engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'sms:12125550100'"));
    }

    [Fact]
    public async Task The_SMS_text_is_the_services_for_the_locale_with_the_WebOTP_line()
    {
        await using var h = await StartAsync(o =>
        {
            o.Sms.Texts["pt"] = "{code} é o seu código. Expira em {minutes} minutos.";
            o.Sms.WebOtpDomain = "example.com";
        });
        var (_, code) = await h.StartAndSendAsync("+1 212 555 0100", channel: "sms", locale: "pt_BR");
        var (_, english) = await h.StartAndSendAsync("+1 212 555 0100", channel: "sms", purpose: "login");

        Assert.Equal($"{code} é o seu código. Expira em 10 minutos.\n\n@example.com #{code}", h.Sms.Sent[0].Text);
        Assert.Equal($"{english} is your verification code. It expires in 10 minutes.\n\n@example.com #{english}", h.Sms.Sent[1].Text);
    }
}

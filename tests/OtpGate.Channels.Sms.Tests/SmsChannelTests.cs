using OtpGate.Channels.Sms.Tests.Support;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Sandbox.Sms;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// The SMS channel behind the engine's port against the sandbox's Twilio stand-in on loopback: every scenario number,
/// its answers in the engine's terms, the signed status callbacks it asked for, and polling.
/// </summary>
public sealed class SmsChannelTests : IAsyncLifetime
{
    private const string CallbackPath = "/webhooks/sms/twilio";

    private SmsSandbox _sandbox = null!;
    private FormCallbackReceiver _receiver = null!;
    private SmsChannelHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SmsSandbox.StartAsync();
        _receiver = await FormCallbackReceiver.StartAsync();
        _host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, _receiver.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_code_goes_out_as_the_message_text_from_the_configured_number_and_is_accepted_with_the_SMS_sid()
    {
        var message = SmsChannelHost.Message("+12125550100");

        var accepted = Assert.IsType<CodeAccepted>(await _host.Channel.SendCodeAsync(message, Ct));

        var stored = Assert.Single(_sandbox.Server.Messages.GetMessages("12125550100"));
        Assert.Equal(stored.Id, accepted.MessageId);
        Assert.Matches("^SM[0-9a-f]{32}$", accepted.MessageId);
        Assert.Equal(message.Text, stored.Text);
        Assert.Equal(SmsChannelHost.Code, stored.Code);
        Assert.Equal("sms", _host.Channel.Name);
    }

    [Fact]
    public async Task The_status_callbacks_come_to_the_receiver_URL_signed_for_it_and_read_as_the_engine_s_news()
    {
        var accepted = Assert.IsType<CodeAccepted>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        var received = await _receiver.WaitForAsync(CallbackPath, 3);

        var url = _receiver.BaseUrl + CallbackPath;
        Assert.Equal(url, _host.Services.GetService(typeof(SmsStatusCallbackUrl)) is SmsStatusCallbackUrl callback ? callback.Value : null);
        Assert.All(received, r => Assert.True(TwilioRequestSignature.IsValid(SmsSandbox.AuthToken, url, r.Fields, r.Signature)));
        var news = received.Select(r => TwilioDeliveryNews.ReadCallback(r.Fields)!.ToNews(DateTimeOffset.UnixEpoch)).ToList();
        Assert.Null(news[0]);
        Assert.Equal([DeliveryEvent.Sent, DeliveryEvent.Delivered], news.Skip(1).Select(n => n!.Event));
        Assert.All(news.Skip(1), n => Assert.Equal(accepted.MessageId, n!.MessageId));
    }

    [Theory]
    [InlineData("+12125550121", "undelivered", 30003, FailureReason.DeliveryFailed, true)]
    [InlineData("+12125550122", "failed", 30006, FailureReason.Undeliverable, false)]
    public async Task An_SMS_that_does_not_arrive_is_a_classified_delivery_failure_by_callback_and_by_polling(
        string to, string status, int code, FailureReason reason, bool temporary)
    {
        var accepted = Assert.IsType<CodeAccepted>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message(to), Ct));

        var received = await _receiver.WaitForAsync(CallbackPath, status == "failed" ? 2 : 3);

        var last = TwilioDeliveryNews.ReadCallback(received[^1].Fields)!.ToNews(DateTimeOffset.UnixEpoch)!;
        var polled = Assert.Single(await _host.Channel.PollDeliveryAsync(accepted.MessageId, Ct));
        foreach (var news in new[] { last, polled })
        {
            Assert.Equal(DeliveryEvent.Failed, news.Event);
            Assert.Equal(accepted.MessageId, news.MessageId);
            Assert.Equal(reason, news.Failure!.Reason);
            Assert.Equal(temporary, news.Failure.Temporary);
            Assert.Equal(code, news.Failure.Code);
        }
    }

    [Fact]
    public async Task A_slow_SMS_polls_as_sent_until_it_is_delivered()
    {
        var accepted = Assert.IsType<CodeAccepted>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550123"), Ct));
        await _receiver.WaitForAsync(CallbackPath, 2);

        var whileSlow = await _host.Channel.PollDeliveryAsync(accepted.MessageId, Ct);
        await _receiver.WaitForAsync(CallbackPath, 3);
        var afterwards = await _host.Channel.PollDeliveryAsync(accepted.MessageId, Ct);

        Assert.Equal(DeliveryEvent.Sent, Assert.Single(whileSlow).Event);
        var delivered = Assert.Single(afterwards);
        Assert.Equal(DeliveryEvent.Delivered, delivered.Event);
        Assert.NotNull(delivered.OccurredAt);
    }

    [Fact]
    public async Task Twilio_s_429_is_retry_later_and_nothing_was_sent()
    {
        var later = Assert.IsType<CodeRetryLater>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550124"), Ct));

        Assert.Contains("20429", later.Detail, StringComparison.Ordinal);
        Assert.Empty(_sandbox.Server.Messages.GetMessages("12125550124"));
    }

    [Fact]
    public async Task Twilio_s_500_after_the_request_left_is_an_unknown_outcome_never_retried()
    {
        Assert.IsType<CodeOutcomeUnknown>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550125"), Ct));

        Assert.Equal(1, _sandbox.Server.Messages.GetRequestCount("12125550125"));
    }

    [Fact]
    public async Task A_landline_is_a_permanent_undeliverable_refusal()
    {
        var rejected = Assert.IsType<CodeRejected>(await _host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550126"), Ct));

        Assert.Equal(FailureReason.Undeliverable, rejected.Reason);
        Assert.True(rejected.Permanent);
        Assert.Contains("21614", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_Twilio_calls_invalid_is_a_permanent_invalid_phone()
    {
        var message = SmsChannelHost.Message("+12125550100") with { Phone = new OtpGate.Verification.Phones.PhoneNumber("1", "US") };

        var rejected = Assert.IsType<CodeRejected>(await _host.Channel.SendCodeAsync(message, Ct));

        Assert.Equal(FailureReason.InvalidPhone, rejected.Reason);
        Assert.True(rejected.Permanent);
    }

    [Fact]
    public async Task A_message_sid_the_stand_in_does_not_have_cannot_be_polled()
    {
        var error = await Assert.ThrowsAsync<ChannelUnavailableException>(() => _host.Channel.PollDeliveryAsync("SM" + new string('0', 32), Ct));

        Assert.Contains("20404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_stand_in_s_Messaging_Service_the_SMS_is_accepted_without_a_From()
    {
        await using var host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, _receiver.BaseUrl, new Dictionary<string, string?>
        {
            ["Sms:Twilio:From"] = "",
            ["Sms:Twilio:MessagingServiceSid"] = SandboxSmsOptions.DefaultMessagingServiceSid,
        });

        var accepted = Assert.IsType<CodeAccepted>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));

        Assert.Equal("accepted", _sandbox.Server.Messages.FindMessage(accepted.MessageId)!.Statuses[0].Status);
    }

    [Fact]
    public void The_form_has_To_in_E164_the_sender_the_text_the_callback_and_the_validity_period_from_the_time_to_live()
    {
        var message = SmsChannelHost.Message("+44 7911 123456", TimeSpan.FromSeconds(299.2));

        var form = _host.Channel.Form(message).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("+447911123456", form["To"]);
        Assert.Equal(SandboxSmsOptions.DefaultFrom, form["From"]);
        Assert.Equal(message.Text, form["Body"]);
        Assert.Equal(_receiver.BaseUrl + CallbackPath, form["StatusCallback"]);
        Assert.Equal("300", form["ValidityPeriod"]);
        Assert.False(form.ContainsKey("MessagingServiceSid"));
    }

    [Theory]
    [InlineData(48 * 3600, "36000")]
    [InlineData(0.2, "1")]
    public void The_validity_period_stays_within_Twilio_s_bounds(double seconds, string expected)
    {
        var form = _host.Channel.Form(SmsChannelHost.Message("+12125550100", TimeSpan.FromSeconds(seconds)));

        Assert.Equal(expected, form.Single(p => p.Key == "ValidityPeriod").Value);
    }

    [Fact]
    public async Task Without_a_callback_base_the_SMS_goes_without_a_StatusCallback()
    {
        await using var host = SmsChannelHost.Start(_sandbox.Server.BaseUrl, callbackBase: null);

        Assert.DoesNotContain(host.Channel.Form(SmsChannelHost.Message("+12125550100")), p => p.Key == "StatusCallback");
        Assert.IsType<CodeAccepted>(await host.Channel.SendCodeAsync(SmsChannelHost.Message("+12125550100"), Ct));
    }
}

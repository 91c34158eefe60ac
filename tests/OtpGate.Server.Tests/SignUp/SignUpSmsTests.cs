using OtpGate.Server.SignUpDemo;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>What the code page says and offers about SMS, from the verification as the engine shows it.</summary>
public sealed class SignUpSmsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly ServiceSettings Settings = new() { Sms = new SmsSettings { DeliveryDeadline = TimeSpan.FromSeconds(15) } };

    private static SendSnapshot WhatsApp(string status, DateTimeOffset? acceptedAt = null) =>
        new(1, "start", "whatsapp", status, acceptedAt is null ? null : "wamid.1", null, null, Start, acceptedAt, acceptedAt);

    private static SendSnapshot Sms(string status) => new(2, "fallback", "sms", status, "SM1", null, null, Start.AddSeconds(16), Start.AddSeconds(16), null);

    private static VerificationSnapshot Verification(SendSnapshot[] sends, bool smsAvailable = true, FallbackSnapshot? fallback = null, DateTimeOffset? resendAt = null) =>
        new("vf_1", "12125550100", "US", "signup", "en", "whatsapp", null, null, false, VerificationStatus.Pending, null, Start, Start.AddMinutes(10), null,
            5, 4, resendAt ?? Start.AddSeconds(30), sends, [], fallback, smsAvailable);

    [Fact]
    public void The_offer_is_due_the_deadline_after_WhatsApp_took_the_message()
    {
        var v = Verification([WhatsApp("sent", Start.AddSeconds(1))]);

        Assert.Equal(10, SignUpSms.OfferInSeconds(v, Settings, Start.AddSeconds(6)));
        Assert.Equal(0, SignUpSms.OfferInSeconds(v, Settings, Start.AddSeconds(16)));
        Assert.Equal(0, SignUpSms.OfferInSeconds(v, Settings, Start.AddMinutes(3)));
    }

    [Fact]
    public void A_message_WhatsApp_never_said_it_took_counts_from_when_it_was_queued()
    {
        var v = Verification([WhatsApp("provider_queued")]);

        Assert.Equal(5, SignUpSms.OfferInSeconds(v, Settings, Start.AddSeconds(10)));
    }

    [Fact]
    public void The_offer_does_not_wait_for_the_resend_cooldown()
    {
        var v = Verification([WhatsApp("sent", Start)], resendAt: Start.AddMinutes(2));

        Assert.Equal(0, SignUpSms.OfferInSeconds(v, Settings, Start.AddSeconds(20)));
    }

    [Theory]
    [InlineData("delivered")]
    [InlineData("read")]
    public void A_delivered_or_read_WhatsApp_message_is_not_followed_by_an_offer(string status)
    {
        Assert.Null(SignUpSms.OfferInSeconds(Verification([WhatsApp(status, Start)]), Settings, Start.AddMinutes(1)));
    }

    [Fact]
    public void Without_SMS_available_or_with_no_send_left_nothing_is_offered()
    {
        Assert.Null(SignUpSms.OfferInSeconds(Verification([WhatsApp("sent", Start)], smsAvailable: false), Settings, Start.AddMinutes(1)));
        var noSendLeft = Verification([WhatsApp("sent", Start)]) with { ResendAvailableAt = null };
        Assert.Null(SignUpSms.OfferInSeconds(noSendLeft, Settings, Start.AddMinutes(1)));
    }

    [Theory]
    [InlineData("whatsapp_undeliverable", "We couldn't reach your WhatsApp, so we sent the code by SMS.")]
    [InlineData("not_delivered_in_time", "We couldn't reach your WhatsApp, so we sent the code by SMS.")]
    [InlineData("user_request", "We sent the code by SMS.")]
    public void The_notice_follows_the_fallback_s_cause(string cause, string notice)
    {
        var v = Verification([WhatsApp("failed", Start), Sms("sent")], smsAvailable: false, fallback: new FallbackSnapshot("sms", cause, Start.AddSeconds(16)));

        Assert.Equal(notice, SignUpSms.Notice(v));
    }

    [Fact]
    public void Before_any_fallback_there_is_no_notice_and_the_delivery_is_WhatsApp_s()
    {
        var status = SignUpStatus.From(Verification([WhatsApp("sent", Start)]), Settings, Start.AddSeconds(1));

        Assert.Null(status.SmsNotice);
        Assert.Equal("Sent to WhatsApp — waiting for your phone", status.DeliveryText);
        Assert.Equal(14, status.SmsOfferInSeconds);
    }

    [Fact]
    public void After_a_fallback_the_page_stays_on_the_code_and_follows_the_SMS()
    {
        var failedWhatsApp = WhatsApp("failed", Start) with { FailureReason = "undeliverable" };
        var v = Verification([failedWhatsApp, Sms("delivered")], smsAvailable: false, fallback: new FallbackSnapshot("sms", "whatsapp_undeliverable", Start.AddSeconds(2)));

        var status = SignUpStatus.From(v, Settings, Start.AddSeconds(3));

        Assert.Equal(SignUpStage.Code, status.Stage);
        Assert.Equal("SMS delivered to your phone", status.DeliveryText);
        Assert.Null(status.Failure);
        Assert.Null(status.SmsOfferInSeconds);
        Assert.Equal("We couldn't reach your WhatsApp, so we sent the code by SMS.", status.SmsNotice);
    }

    [Fact]
    public void An_SMS_that_did_not_arrive_says_so_in_SMS_words()
    {
        var v = Verification([WhatsApp("failed", Start), Sms("failed") with { FailureReason = "delivery_failed" }], smsAvailable: false,
            fallback: new FallbackSnapshot("sms", "whatsapp_undeliverable", Start.AddSeconds(2)));

        var status = SignUpStatus.From(v, Settings, Start.AddSeconds(3));

        Assert.Equal("SMS not delivered", status.DeliveryText);
        Assert.Equal("The SMS could not be delivered. Check the number, or ask for a new code.", status.Failure);
    }
}

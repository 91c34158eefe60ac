using System.Text.Json.Nodes;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>Twilio's answers and delivery error codes in the engine's terms: fix something, the number, wait, unknown.</summary>
public sealed class TwilioClassificationTests
{
    private static readonly SmsRedaction NoSecrets = new("482913", "the-auth-token");

    private static TwilioAnswer Error(int status, int code, string message = "Twilio says no", TimeSpan? retryAfter = null) =>
        new(TwilioTransport.Answered, status, new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status }, retryAfter);

    [Theory]
    [InlineData(401, 20003, FailureReason.Unauthorized, "Sms:Twilio:AuthToken")]
    [InlineData(400, 21606, FailureReason.InvalidRequest, "Sms:Twilio:From")]
    [InlineData(400, 21659, FailureReason.InvalidRequest, "Sms:Twilio:From")]
    [InlineData(400, 21212, FailureReason.InvalidRequest, "Sms:Twilio:From")]
    [InlineData(400, 21701, FailureReason.InvalidRequest, "Sms:Twilio:MessagingServiceSid")]
    [InlineData(400, 21703, FailureReason.InvalidRequest, "Sms:Twilio:MessagingServiceSid")]
    [InlineData(400, 21408, FailureReason.InvalidRequest, "Geographic Permissions")]
    [InlineData(400, 21211, FailureReason.InvalidPhone, "21211")]
    [InlineData(400, 21614, FailureReason.Undeliverable, "21614")]
    [InlineData(400, 21610, FailureReason.Undeliverable, "21610")]
    [InlineData(400, 21612, FailureReason.Undeliverable, "21612")]
    [InlineData(400, 29999, FailureReason.InvalidRequest, "twilio.com/docs/errors")]
    [InlineData(403, 20003, FailureReason.Unauthorized, "Sms:Twilio:AccountSid")]
    public void A_refusal_is_permanent_with_its_reason_and_what_to_change(int status, int code, FailureReason reason, string says)
    {
        var rejected = Assert.IsType<CodeRejected>(TwilioSendClassification.Classify(Error(status, code), NoSecrets));

        Assert.Equal(reason, rejected.Reason);
        Assert.True(rejected.Permanent);
        Assert.Contains(says, rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_429_is_retry_later_after_Twilio_s_Retry_After()
    {
        var later = Assert.IsType<CodeRetryLater>(TwilioSendClassification.Classify(Error(429, 20429, retryAfter: TimeSpan.FromSeconds(7)), NoSecrets));

        Assert.Equal(TimeSpan.FromSeconds(7), later.After);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void A_5xx_is_an_unknown_outcome(int status) =>
        Assert.IsType<CodeOutcomeUnknown>(TwilioSendClassification.Classify(Error(status, 20500), NoSecrets));

    [Theory]
    [InlineData(TwilioTransport.NeverLeft, typeof(CodeRetryLater))]
    [InlineData(TwilioTransport.TimedOut, typeof(CodeOutcomeUnknown))]
    [InlineData(TwilioTransport.BrokeAfterSending, typeof(CodeOutcomeUnknown))]
    public void A_transport_failure_is_retry_later_only_when_nothing_left(TwilioTransport transport, Type expected) =>
        Assert.IsType(expected, TwilioSendClassification.Classify(new TwilioAnswer(transport, null, null, null, "no answer"), NoSecrets));

    [Fact]
    public void A_2xx_without_a_sid_is_unknown_never_accepted() =>
        Assert.IsType<CodeOutcomeUnknown>(TwilioSendClassification.Classify(new TwilioAnswer(TwilioTransport.Answered, 201, [], null), NoSecrets));

    [Fact]
    public void Twilio_s_words_lose_the_number_the_code_and_the_token()
    {
        var answer = Error(400, 21211, "The 'To' number +1 (212) 555-0100 is not a valid phone number; 482913 the-auth-token");

        var rejected = Assert.IsType<CodeRejected>(TwilioSendClassification.Classify(answer, NoSecrets));

        Assert.DoesNotContain("555-0100", rejected.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", rejected.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("the-auth-token", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("+12*******00", rejected.Detail, StringComparison.Ordinal);
        Assert.Contains("21211", rejected.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30001, FailureReason.DeliveryFailed, true)]
    [InlineData(30002, FailureReason.Unauthorized, false)]
    [InlineData(30003, FailureReason.DeliveryFailed, true)]
    [InlineData(30004, FailureReason.Undeliverable, false)]
    [InlineData(30005, FailureReason.Undeliverable, false)]
    [InlineData(30006, FailureReason.Undeliverable, false)]
    [InlineData(30007, FailureReason.Rejected, false)]
    [InlineData(30008, FailureReason.DeliveryFailed, true)]
    [InlineData(30009, FailureReason.DeliveryFailed, true)]
    [InlineData(30034, FailureReason.InvalidRequest, false)]
    [InlineData(30036, FailureReason.MessageExpired, false)]
    [InlineData(39999, FailureReason.DeliveryFailed, false)]
    public void A_delivery_error_code_is_a_reason_and_whether_it_is_temporary(int code, FailureReason reason, bool temporary)
    {
        var news = TwilioDeliveryNews.From("SM1", "undelivered", code, null)!;

        Assert.Equal(DeliveryEvent.Failed, news.Event);
        Assert.Equal(reason, news.Failure!.Reason);
        Assert.Equal(temporary, news.Failure.Temporary);
        Assert.Equal(code, news.Failure.Code);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), news.Failure.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("queued", null)]
    [InlineData("accepted", null)]
    [InlineData("sending", null)]
    [InlineData("sent", DeliveryEvent.Sent)]
    [InlineData("delivered", DeliveryEvent.Delivered)]
    [InlineData("read", DeliveryEvent.Read)]
    [InlineData("failed", DeliveryEvent.Failed)]
    [InlineData("undelivered", DeliveryEvent.Failed)]
    public void Each_status_word_is_news_or_nothing(string status, DeliveryEvent? expected) =>
        Assert.Equal(expected, TwilioDeliveryNews.From("SM1", status, null, null)?.Event);

    [Fact]
    public void A_callback_without_MessageSid_or_MessageStatus_is_not_one()
    {
        Assert.Null(TwilioDeliveryNews.ReadCallback([new("MessageStatus", "delivered")]));
        Assert.Null(TwilioDeliveryNews.ReadCallback([new("MessageSid", "SM1")]));
        Assert.Equal(new TwilioStatusCallback("SM1", "failed", 30006),
            TwilioDeliveryNews.ReadCallback([new("MessageSid", "SM1"), new("MessageStatus", "failed"), new("ErrorCode", "30006")]));
    }

    [Fact]
    public void Twilio_s_RFC_2822_dates_are_read() =>
        Assert.Equal(new DateTimeOffset(2015, 7, 30, 20, 0, 0, TimeSpan.Zero), TwilioDeliveryNews.ParseDate("Thu, 30 Jul 2015 20:00:00 +0000"));

    [Theory]
    [InlineData("https://api.twilio.com", "https://messaging.twilio.com")]
    [InlineData("https://api.dublin.ie1.twilio.com/", "https://messaging.dublin.ie1.twilio.com")]
    [InlineData("http://127.0.0.1:5080/sandbox", "http://127.0.0.1:5080/sandbox")]
    public void Messaging_Services_are_asked_on_Twilio_s_messaging_host_or_the_stand_in_s_own_root(string baseUrl, string expected) =>
        Assert.Equal(expected, TwilioMessagingClient.MessagingRoot(new Uri(baseUrl)));
}

using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg.Tests;

/// <summary>1MSG's and Meta's statuses as the engine's delivery news: Meta's error codes never reach the engine.</summary>
public sealed class DeliveryNewsTranslationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static StatusEvent Failed(int? code, string? text) => new("wamid.x", DeliveryStatus.Failed, "failed", At, null, text, code);

    [Theory]
    [InlineData(DeliveryStatus.Sent, DeliveryEvent.Sent)]
    [InlineData(DeliveryStatus.Delivered, DeliveryEvent.Delivered)]
    [InlineData(DeliveryStatus.Read, DeliveryEvent.Read)]
    public void Progress_becomes_news_of_the_same_kind(DeliveryStatus status, DeliveryEvent expected)
    {
        var news = DeliveryNewsTranslation.From(new StatusEvent("wamid.x", status, "w", At, "12125550100", null, null));

        Assert.Equal(new DeliveryNews("wamid.x", expected, At), news);
    }

    [Fact]
    public void Status_words_that_mean_nothing_for_delivery_are_left_out()
    {
        var news = DeliveryNewsTranslation.From([new StatusEvent("wamid.x", DeliveryStatus.Unknown, "deleted", At, null, null, null)]);

        Assert.Empty(news);
    }

    [Theory]
    [InlineData(131056)] // pair rate limit
    [InlineData(130429)] // throughput
    [InlineData(131057)]
    [InlineData(131000)]
    [InlineData(131016)]
    [InlineData(80007)]
    public void Meta_codes_that_say_not_now_are_temporary_failures(int code)
    {
        var failure = DeliveryNewsTranslation.From(Failed(code, "Rate limit hit"))!.Failure!;

        Assert.True(failure.Temporary);
        Assert.Equal(FailureReason.DeliveryFailed, failure.Reason);
        Assert.Equal(code, failure.Code);
        Assert.Equal("Rate limit hit", failure.Text);
    }

    [Fact]
    public void A_number_without_WhatsApp_is_undeliverable_for_good()
    {
        var failure = DeliveryNewsTranslation.From(Failed(131026, "Message undeliverable"))!.Failure!;

        Assert.Equal(new DeliveryFailure(FailureReason.Undeliverable, false, "Message undeliverable", 131026), failure);
    }

    [Theory]
    [InlineData("Message failed to send during its Time To Live (TTL) duration.")]
    [InlineData("message expired")]
    public void A_message_whose_time_to_live_ran_out_expired(string text)
    {
        // Meta reports it under 131026 too: the words tell it apart.
        Assert.Equal(FailureReason.MessageExpired, DeliveryNewsTranslation.From(Failed(131026, text))!.Failure!.Reason);
    }

    [Fact]
    public void Any_other_failure_is_a_permanent_delivery_failure()
    {
        Assert.Equal(new DeliveryFailure(FailureReason.DeliveryFailed, false, null, null), DeliveryNewsTranslation.From(Failed(null, null))!.Failure);
    }
}

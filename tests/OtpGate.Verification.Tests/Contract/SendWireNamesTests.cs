using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Contract;

/// <summary>The send side's wire names are stored and shown by the API: they never change, and each value has exactly one.</summary>
public sealed class SendWireNamesTests
{
    [Fact]
    public void Send_statuses_keep_their_names_and_their_order()
    {
        Assert.Equal(
            ["queued", "accepted", "provider_queued", "unknown", "sent", "delivered", "read", "failed"],
            Enum.GetValues<SendStatus>().Select(s => s.ToWireName()));
        Assert.Equal([0, 2, 1, 1, 3, 5, 6, 4], Enum.GetValues<SendStatus>().Select(s => s.Rank()));
        Assert.All(Enum.GetValues<SendStatus>(), s => Assert.Equal(s, WireNames.ParseSendStatus(s.ToWireName())));
    }

    [Fact]
    public void Failure_reasons_keep_their_names()
    {
        Assert.Equal(
            ["rejected", "provider_unavailable", "undeliverable", "message_expired", "delivery_failed", "ambiguous", "invalid_phone",
             "template_not_found", "template_not_approved", "missing_namespace", "parameter_mismatch", "invalid_request", "unauthorized", "send_failed"],
            Enum.GetValues<FailureReason>().Select(r => r.ToWireName()));
        Assert.All(Enum.GetValues<FailureReason>(), r => Assert.Equal(r, WireNames.TryParseFailureReason(r.ToWireName())));
        Assert.Null(WireNames.TryParseFailureReason("Message undeliverable (131026)"));
    }

    [Fact]
    public void Send_reasons_keep_their_names()
    {
        Assert.Equal(["start", "resend", "ambiguous_retry", "delivery_retry", "fallback"], Enum.GetValues<SendReason>().Select(r => r.ToWireName()));
        Assert.All(Enum.GetValues<SendReason>(), r => Assert.Equal(r, WireNames.ParseSendReason(r.ToWireName())));
    }

    [Fact]
    public void Fallback_causes_keep_their_names()
    {
        Assert.Equal(["whatsapp_undeliverable", "not_delivered_in_time", "user_request"], Enum.GetValues<FallbackCause>().Select(c => c.ToWireName()));
        Assert.All(Enum.GetValues<FallbackCause>(), c => Assert.Equal(c, WireNames.TryParseFallbackCause(c.ToWireName())));
        Assert.Null(WireNames.TryParseFallbackCause("whatsapp_undeliverable: not on WhatsApp"));
    }

    [Fact]
    public async Task The_rank_in_SQL_is_the_rank_in_code()
    {
        await using var engine = await Engine.StartAsync();
        foreach (var status in Enum.GetValues<SendStatus>())
        {
            var rank = await engine.ScalarAsync<long>($"SELECT {WireNames.SendStatusRankSql("@name")}", new { name = status.ToWireName() });
            Assert.Equal(status.Rank(), rank);
        }

        Assert.Equal(-1L, await engine.ScalarAsync<long>($"SELECT {WireNames.SendStatusRankSql("@name")}", new { name = "nonsense" }));
    }
}

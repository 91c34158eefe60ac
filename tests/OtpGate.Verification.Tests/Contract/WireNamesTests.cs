using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Contract;

/// <summary>
/// The wire names are the API contract and what the database holds: these lists change only on purpose (a renamed
/// member must not rename its word), and every member has a word of its own.
/// </summary>
public sealed class WireNamesTests
{
    [Fact]
    public void Verification_statuses_keep_their_names_and_read_back()
    {
        Assert.Equal(["pending", "approved", "expired", "max_attempts_reached", "canceled", "failed"],
            Enum.GetValues<VerificationStatus>().Select(s => s.ToWireName()));
        foreach (var status in Enum.GetValues<VerificationStatus>())
        {
            Assert.Equal(status, WireNames.ParseVerificationStatus(status.ToWireName()));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ParseVerificationStatus("Pending"));
    }

    [Fact]
    public void The_sixteen_timeline_kinds_keep_their_names()
    {
        Assert.Equal(
            ["created", "send_queued", "accepted", "provider_queued", "send_retry", "send_ambiguous", "send_failed", "delivery",
             "check_failed", "approved", "expired", "max_attempts_reached", "canceled", "failed", "revived", "fallback"],
            Enum.GetValues<TimelineEventKind>().Select(k => k.ToWireName()));
    }

    [Fact]
    public void Each_ending_is_recorded_under_its_own_name_and_pending_is_no_ending()
    {
        foreach (var status in Enum.GetValues<VerificationStatus>().Where(s => s != VerificationStatus.Pending))
        {
            Assert.Equal(status.ToWireName(), status.EndingEvent().ToWireName());
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => VerificationStatus.Pending.EndingEvent());
    }

    [Fact]
    public void Refusal_codes_keep_their_names()
    {
        Assert.Equal(
            ["not_found", "invalid_request", "invalid_phone", "country_not_allowed", "rate_limited", "cooldown", "wrong_code", "expired",
             "max_attempts_reached", "canceled", "already_approved", "failed", "idempotency_key_reused", "service_not_found", "channel_unavailable",
             "spend_cap_reached", "fraud_suspected"],
            Enum.GetValues<Refusal>().Select(r => r.ToWireName()));
    }
}

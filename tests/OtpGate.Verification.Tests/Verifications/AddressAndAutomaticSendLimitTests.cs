using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;
using static OtpGate.Verification.Tests.Support.DeliveryHarness;

namespace OtpGate.Verification.Tests.Verifications;

/// <summary>
/// The per-address start limit counts an IPv6 client by its /64 (a device picks any address in it); automatic resends
/// (after an unclear answer, after a temporary delivery failure) count in their phone's send limits.
/// </summary>
public sealed class AddressAndAutomaticSendLimitTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Twenty numbers of one prefix in a minute is a sweep the fraud guard would refuse first; this is the address limit alone.
    private static readonly Dictionary<string, string?> WithoutFraudGuard = new() { ["Fraud:Enabled"] = "false" };

    [Fact]
    public async Task Twenty_addresses_of_one_ipv6_64_share_its_twenty_starts_and_the_next_64_has_its_own()
    {
        await using var engine = await Engine.StartAsync(settings: WithoutFraudGuard);
        for (var i = 0; i < 20; i++)
        {
            await engine.StartVerificationAsync($"+1 212 555 01{i:D2}", ip: $"2001:db8:1:2::{i + 1:x}");
        }

        var sameBlock = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0150", ClientIp: "2001:db8:1:2:ffff:ffff:ffff:fffe"), None);
        var nextBlock = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0150", ClientIp: "2001:db8:1:3::1"), None);

        Assert.Equal(LimitNames.IpStarts10Minutes, sameBlock.Refusal?.Limit);
        Assert.Null(nextBlock.Refusal);
    }

    [Theory]
    [InlineData("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    public void An_ipv6_address_is_counted_as_its_64_and_an_ipv4_address_as_itself(string ip, string block) =>
        Assert.Equal(block, LimitScopes.AddressBlock(ip));

    [Fact]
    public async Task The_automatic_resend_after_an_unclear_answer_counts_in_the_phones_send_limit()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System, o => o.MaxSendsPerPhonePer10Minutes = 2);
        await engine.StartVerificationAsync("+1 212 555 0105"); // the sandbox answers 500: unclear, resent once

        await engine.Dispatcher.DispatchDueAsync(None);
        var another = await engine.Verifications.StartAsync(VerificationOwner.ApiKey("other"), new StartRequest("+1 212 555 0105"), None);

        Assert.Equal(2L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'send:12125550105'"));
        Assert.Equal(LimitNames.PhoneSends10Minutes, another.Refusal?.Limit);
    }

    [Fact]
    public async Task The_automatic_resend_after_a_temporary_delivery_failure_counts_in_the_phones_send_limit()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var engine = await StartEngineAsync(sandbox, TimeProvider.System, o => o.MaxSendsPerPhonePer10Minutes = 2);
        var id = await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.Dispatcher.DispatchDueAsync(None);
        var messageId = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.Sends[0].MessageId!;

        await engine.IngestAsync([new(messageId, OneMsg.Webhooks.DeliveryStatus.Failed, "failed", null, null, "Pair rate limit hit", 131056)], None);
        var another = await engine.Verifications.StartAsync(VerificationOwner.ApiKey("other"), new StartRequest("+1 212 555 0100"), None);

        Assert.Equal(2L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events WHERE scope = 'send:12125550100'"));
        Assert.Equal(LimitNames.PhoneSends10Minutes, another.Refusal?.Limit);
    }
}

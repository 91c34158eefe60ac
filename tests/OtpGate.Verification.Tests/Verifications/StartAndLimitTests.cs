using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

public sealed class StartAndLimitTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_start_writes_the_verification_and_its_send_job_together()
    {
        await using var engine = await Engine.StartAsync();

        var result = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 (212) 555-0100"), None);

        Assert.True(result.Created);
        Assert.StartsWith("vf_", result.Verification!.Id);
        Assert.True(result.Verification.Id.Length >= 3 + 22); // 128 random bits in base64url
        Assert.Equal("12125550100", result.Verification.Phone);
        Assert.Equal("registration", result.Verification.Purpose);
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state = 'queued'"));
    }

    [Fact]
    public async Task Starting_again_while_one_is_pending_returns_it()
    {
        await using var engine = await Engine.StartAsync();
        var first = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);

        var second = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("12125550100"), None);

        Assert.False(second.Created);
        Assert.Equal(first.Verification!.Id, second.Verification!.Id);
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));

        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var third = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("12125550100"), None);
        Assert.Equal(first.Verification.Id, third.Verification!.Id);
        Assert.Equal(2L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends")); // the cooldown allowed a resend
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_verification_and_sends_nothing_more()
    {
        await using var engine = await Engine.StartAsync();
        var first = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", IdempotencyKey: "signup-42"), None);
        engine.Time.Advance(TimeSpan.FromMinutes(1));

        var again = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100", IdempotencyKey: "signup-42"), None);

        Assert.Equal(first.Verification!.Id, again.Verification!.Id);
        Assert.False(again.Created);
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a phone")]
    [InlineData("+1 212")]
    public async Task An_invalid_phone_is_refused_with_its_reason_and_nothing_is_written(string phone)
    {
        await using var engine = await Engine.StartAsync();

        var result = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest(phone), None);

        Assert.Equal(Refusal.InvalidPhone, result.Refusal!.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Refusal.Message));
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));
    }

    [Fact]
    public async Task Countries_outside_the_allow_list_and_on_the_deny_list_are_refused()
    {
        await using var engine = await Engine.StartAsync(o =>
        {
            o.AllowedCountries = ["US", "BR"];
            o.DeniedCountries = ["BR"];
        });

        var british = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+44 20 7946 0958"), None);
        var brazilian = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+55 11 99999-8888"), None);
        var american = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);

        Assert.Equal(Refusal.CountryNotAllowed, british.Refusal!.Reason);
        Assert.Equal(Refusal.CountryNotAllowed, brazilian.Refusal!.Reason);
        Assert.Null(american.Refusal);
    }

    [Fact]
    public async Task A_resend_waits_for_its_cooldown_which_doubles()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();

        var tooSoon = await engine.Verifications.ResendAsync(Engine.Owner, id, None);
        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var second = await engine.Verifications.ResendAsync(Engine.Owner, id, None);
        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var tooSoonAgain = await engine.Verifications.ResendAsync(Engine.Owner, id, None);

        Assert.Equal(Refusal.Cooldown, tooSoon.Refusal!.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), tooSoon.Refusal.RetryAfter);
        Assert.True(second.Succeeded);
        Assert.Equal(Refusal.Cooldown, tooSoonAgain.Refusal!.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), tooSoonAgain.Refusal.RetryAfter); // 60 s after the second send
    }

    [Fact]
    public async Task A_verification_sends_at_most_five_codes()
    {
        await using var engine = await Engine.StartAsync(o => o.ResendCooldown = TimeSpan.Zero);
        var id = await engine.StartVerificationAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await engine.Verifications.ResendAsync(Engine.Owner, id, None)).Succeeded);
        }

        var sixth = await engine.Verifications.ResendAsync(Engine.Owner, id, None);

        Assert.Equal(Refusal.RateLimited, sixth.Refusal!.Reason);
        Assert.Equal(LimitNames.VerificationSends, sixth.Refusal.Limit);
        Assert.Equal(5L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
    }

    [Fact]
    public async Task A_phone_gets_at_most_five_codes_in_ten_minutes_and_a_refused_start_costs_nothing()
    {
        await using var engine = await Engine.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            var id = await engine.StartVerificationAsync();
            await engine.Verifications.CancelAsync(Engine.Owner, id, None);
            engine.Time.Advance(TimeSpan.FromSeconds(10));
        }

        var refused = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);
        var refusedAgain = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);

        Assert.Equal(Refusal.RateLimited, refused.Refusal!.Reason);
        Assert.Equal(LimitNames.PhoneSends10Minutes, refused.Refusal.Limit);
        Assert.Equal(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(50), refused.Refusal.RetryAfter);
        Assert.Equal(refused.Refusal.RetryAfter, refusedAgain.Refusal!.RetryAfter);
        Assert.Equal(5L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));

        engine.Time.Advance(refused.Refusal.RetryAfter!.Value);
        Assert.Null((await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None)).Refusal);
    }

    [Fact]
    public async Task A_phone_gets_at_most_ten_codes_a_day()
    {
        await using var engine = await Engine.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            var id = await engine.StartVerificationAsync();
            await engine.Verifications.CancelAsync(Engine.Owner, id, None);
            engine.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var refused = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0100"), None);

        Assert.Equal(LimitNames.PhoneSendsDay, refused.Refusal!.Limit);
        Assert.Equal(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(50), refused.Refusal.RetryAfter);
    }

    [Fact]
    public async Task A_client_ip_starts_at_most_twenty_verifications_in_ten_minutes()
    {
        // Twenty numbers of one prefix in a minute is a sweep the fraud guard would refuse first; this is the address limit alone.
        await using var engine = await Engine.StartAsync(settings: new() { ["Fraud:Enabled"] = "false" });
        for (var i = 0; i < 20; i++)
        {
            await engine.StartVerificationAsync($"+1 212 555 01{i:D2}", ip: "203.0.113.7");
        }

        var refused = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0150", ClientIp: "203.0.113.7"), None);
        var otherIp = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0150", ClientIp: "203.0.113.8"), None);

        Assert.Equal(LimitNames.IpStarts10Minutes, refused.Refusal!.Limit);
        Assert.Null(otherIp.Refusal);
    }

    [Fact]
    public async Task The_daily_send_budget_stops_sending_until_the_next_day()
    {
        await using var engine = await Engine.StartAsync(o => o.DailySendBudget = 3);
        for (var i = 0; i < 3; i++)
        {
            await engine.StartVerificationAsync($"+1 212 555 01{i:D2}");
        }

        var refused = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0150"), None);

        Assert.Equal(LimitNames.DailyBudget, refused.Refusal!.Limit);
        Assert.Equal(TimeSpan.FromHours(12), refused.Refusal.RetryAfter); // the clock starts at noon UTC
    }

    [Fact]
    public async Task Test_numbers_send_nothing_count_no_limit_and_accept_their_fixed_code()
    {
        await using var engine = await Engine.StartAsync(o => o.TestNumbers = new() { ["+1 212 555 0199"] = "424242" });

        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var started = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0199"), None);
            ids.Add(started.Verification!.Id);
            Assert.True(started.Verification.IsTest);
            Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, started.Verification.Id, "424242", None)).Succeeded);
        }

        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events"));
    }

    [Fact]
    public async Task Canceling_ends_a_pending_verification_and_its_queued_send()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();

        var canceled = await engine.Verifications.CancelAsync(Engine.Owner, id, None);
        var again = await engine.Verifications.CancelAsync(Engine.Owner, id, None);

        Assert.Equal(VerificationStatus.Canceled, canceled.Verification!.Status);
        Assert.Equal(Refusal.Canceled, again.Refusal!.Reason);
        Assert.Equal("canceled", await engine.ScalarAsync<string>("SELECT job_state FROM sends"));
    }
}

using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Services;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// Spend caps in money (the engine's part of issue 19's "Spend, in money"), on whichever database this pass runs:
/// each cap refuses the send that would pass it and none before, periods roll over with the clock, every queued send is
/// charged (resends, automatic ones, any channel), test numbers cost nothing, and crossing the warning share is said once.
/// Prices are set to round figures so the sums are plain; the clock starts at noon UTC on November 26, 2026.
/// </summary>
public sealed class SpendCapTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Task<Engine> StartAsync(Dictionary<string, string?> spend, Action<IServiceCollection>? services = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?> { ["Spend:Prices:whatsapp:Default"] = "1", ["Spend:DailyCap"] = "0" };
        foreach (var (key, value) in spend)
        {
            settings[key] = value;
        }

        return Engine.StartAsync(settings: settings, services: services, time: time);
    }

    private static Task<StartResult> StartAsync(Engine engine, int i, VerificationOwner? owner = null) =>
        engine.Verifications.StartAsync(owner ?? Engine.Owner, new StartRequest($"+1 212 555 {i:D4}"), None);

    private static Task<long> SpentMicrosAsync(Engine engine) => engine.ScalarAsync<long>("SELECT COALESCE(SUM(amount), 0) FROM spend");

    [Fact]
    public async Task The_overall_daily_cap_refuses_the_send_that_would_pass_it_and_not_one_before()
    {
        await using var engine = await StartAsync(new() { ["Spend:Prices:whatsapp:Default"] = "0.5", ["Spend:DailyCap"] = "1.5" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await StartAsync(engine, i)).Refusal); // 0.5, 1.0, 1.5: the cap itself may be spent
        }

        var refused = (await StartAsync(engine, 3)).Refusal!;

        Assert.Equal((Refusal.SpendCapReached, "overall_daily"), (refused.Reason, refused.Limit));
        Assert.Equal(TimeSpan.FromHours(12), refused.RetryAfter); // until midnight UTC
        Assert.Contains("Spend:DailyCap", refused.Message, StringComparison.Ordinal);
        Assert.Contains("1.50 spent today", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1_500_000, await SpentMicrosAsync(engine));
        Assert.Equal(3, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));
    }

    [Fact]
    public async Task The_daily_cap_opens_again_when_the_UTC_day_rolls_over()
    {
        await using var engine = await StartAsync(new() { ["Spend:DailyCap"] = "2" });
        await engine.StartVerificationAsync("+1 212 555 0001");
        await engine.StartVerificationAsync("+1 212 555 0002");
        Assert.Equal(Refusal.SpendCapReached, (await StartAsync(engine, 3)).Refusal?.Reason);

        engine.Time.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Assert.Equal(Refusal.SpendCapReached, (await StartAsync(engine, 4)).Refusal?.Reason);
        engine.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null((await StartAsync(engine, 5)).Refusal);
    }

    [Fact]
    public async Task The_overall_monthly_cap_holds_across_days_until_the_calendar_month_ends()
    {
        await using var engine = await StartAsync(new() { ["Spend:MonthlyCap"] = "3" });
        await engine.StartVerificationAsync("+1 212 555 0001");
        engine.Time.Advance(TimeSpan.FromDays(1));
        await engine.StartVerificationAsync("+1 212 555 0002");
        await engine.StartVerificationAsync("+1 212 555 0003");

        var refused = (await StartAsync(engine, 4)).Refusal!;
        Assert.Equal((Refusal.SpendCapReached, "overall_monthly"), (refused.Reason, refused.Limit));
        Assert.Equal(TimeSpan.FromDays(3) + TimeSpan.FromHours(12), refused.RetryAfter); // November 27, noon, to December 1

        engine.Time.Advance(refused.RetryAfter!.Value);
        Assert.Null((await StartAsync(engine, 5)).Refusal);
    }

    [Fact]
    public async Task A_services_daily_and_monthly_caps_stop_that_service_only()
    {
        await using var engine = await StartAsync([]);
        var catalog = engine.Services.GetRequiredService<ServiceCatalog>();
        await catalog.CreateAsync("shop", "Shop", new ServiceSettings { Spend = new SpendCaps { DailyCap = 2, MonthlyCap = 3 } }, None);
        var shop = VerificationOwner.ApiKey("app", "shop");

        Assert.Null((await StartAsync(engine, 1, shop)).Refusal);
        Assert.Null((await StartAsync(engine, 2, shop)).Refusal);
        var daily = (await StartAsync(engine, 3, shop)).Refusal!;
        Assert.Equal((Refusal.SpendCapReached, "service_daily"), (daily.Reason, daily.Limit));
        Assert.Contains("Services:shop:Spend:DailyCap", daily.Message, StringComparison.Ordinal);
        Assert.Null((await StartAsync(engine, 4)).Refusal); // the default service has no cap of its own

        engine.Time.Advance(TimeSpan.FromDays(1));
        Assert.Null((await StartAsync(engine, 5, shop)).Refusal);
        var monthly = (await StartAsync(engine, 6, shop)).Refusal!;
        Assert.Equal((Refusal.SpendCapReached, "service_monthly"), (monthly.Reason, monthly.Limit));
    }

    [Fact]
    public async Task A_resend_is_charged_and_refused_by_the_cap_before_it_is_queued()
    {
        await using var engine = await StartAsync(new() { ["Spend:DailyCap"] = "2" });
        var id = await engine.StartVerificationAsync();
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await engine.Verifications.ResendAsync(Engine.Owner, id, None)).Succeeded);
        engine.Time.Advance(TimeSpan.FromMinutes(2));

        var refused = await engine.Verifications.ResendAsync(Engine.Owner, id, None);

        Assert.Equal((Refusal.SpendCapReached, "overall_daily"), (refused.Refusal!.Reason, refused.Refusal.Limit));
        Assert.Equal(2, refused.Verification!.Sends.Count);
        Assert.Equal(2_000_000, await SpentMicrosAsync(engine));
    }

    [Fact]
    public async Task An_automatic_resend_is_charged_at_the_price_of_its_own_channel()
    {
        var channel = new SecondChannel("sms", _ => new CodeOutcomeUnknown("timeout"));
        // The real clock: the dispatcher paces the automatic resend after the first send, and no cap is set here.
        await using var engine = await StartAsync(new() { ["Spend:Prices:sms:Default"] = "0.25" }, s => s.AddSingleton<ICodeChannel>(channel), TimeProvider.System);
        var id = await engine.StartVerificationAsync("+44 20 7946 0958");
        await engine.ScalarAsync<long>("UPDATE verifications SET channel = 'sms' RETURNING 0");
        await engine.ScalarAsync<long>("UPDATE sends SET channel = 'sms' RETURNING 0");

        await engine.Dispatcher.DispatchDueAsync(None);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(["start", "ambiguous_retry"], snapshot.Sends.Select(s => s.Reason));
        // The start at WhatsApp's price (queued before the test moved it), the automatic resend at SMS's.
        Assert.Equal(1_000_000, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend WHERE channel = 'whatsapp' AND region = 'GB'"));
        Assert.Equal(250_000, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend WHERE channel = 'sms' AND region = 'GB'"));
    }

    [Fact]
    public async Task A_test_number_costs_nothing_and_is_never_refused_by_a_cap()
    {
        await using var engine = await StartAsync(new() { ["Spend:DailyCap"] = "1", ["Verification:TestNumbers:+1 212 555 0199"] = "424242" });
        await engine.StartVerificationAsync("+1 212 555 0001");

        for (var i = 0; i < 3; i++)
        {
            var started = await engine.Verifications.StartAsync(Engine.Owner, new StartRequest("+1 212 555 0199", Purpose: $"p{i}"), None);
            Assert.True(started.Verification!.IsTest);
        }

        Assert.Equal(1_000_000, await SpentMicrosAsync(engine));
    }

    [Fact]
    public async Task Crossing_the_warning_share_of_a_cap_is_logged_once_in_its_period()
    {
        await using var engine = await StartAsync(new() { ["Spend:DailyCap"] = "10", ["Spend:WarnAt"] = "0.8" });
        for (var i = 0; i < 7; i++)
        {
            await engine.StartVerificationAsync($"+1 212 555 {i:D4}");
        }

        Assert.DoesNotContain(engine.Logs.Lines, l => l.Contains("nearly used", StringComparison.Ordinal));
        for (var i = 7; i < 10; i++)
        {
            await engine.StartVerificationAsync($"+1 212 555 {i:D4}");
        }

        var warning = Assert.Single(engine.Logs.Lines, l => l.Contains("nearly used", StringComparison.Ordinal));
        Assert.Contains("The overall daily spend cap (Spend:DailyCap) is nearly used: 8.00 of 10.00 USD", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_WhatsApp_rates_price_a_send_by_its_country_when_nothing_is_configured()
    {
        await using var engine = await Engine.StartAsync();
        await engine.StartVerificationAsync("+1 212 555 0100");
        await engine.StartVerificationAsync("+49 30 901820");
        await engine.StartVerificationAsync("+998 71 123 4567"); // Uzbekistan: Rest of Asia Pacific

        Assert.Equal(3_400, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend WHERE region = 'US'"));
        Assert.Equal(55_000, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend WHERE region = 'DE'"));
        Assert.Equal(11_300, await engine.ScalarAsync<long>("SELECT SUM(amount) FROM spend WHERE region = 'UZ'"));
    }
}

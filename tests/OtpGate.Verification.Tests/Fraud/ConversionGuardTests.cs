using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// The conversion rule with its defaults: a prefix whose starts are not approved is blocked once enough of them are
/// judged (a minute after their own minute), not before; the rest of its country goes on; the block lasts the cooling
/// period. Runs on SQLite and on PostgreSQL.
/// </summary>
public sealed class ConversionGuardTests
{
    private const string Attacked = "+1 212 555 ";

    [Fact]
    public async Task A_prefix_whose_starts_are_never_approved_is_blocked_once_judged_and_a_converting_prefix_with_the_same_volume_is_not()
    {
        await using var engine = await Engine.StartAsync();
        using var blocks = new MetricCollector<long>(engine.Services.GetRequiredService<IMeterFactory>(), VerificationMetrics.MeterName, "otpgate.fraud.prefix_blocks");
        var traffic = new Traffic(engine);
        var refusedPerMinute = new List<int>();
        for (var minute = 0; minute < 6; minute++)
        {
            // Per minute: 8 real users over ten prefixes, 8 real users in one prefix (+1 917 2), 8 attacker starts in +1 212 5.
            await traffic.LegitAsync(8);
            await traffic.LegitAsync(8, ["+1 917 2"]);
            refusedPerMinute.Add(await traffic.SweepAsync(Attacked, minute * 8, 8));
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        // Minutes 0 and 1 are judged from minute 3 on (a minute to type the code, after the minute ends): 16 unapproved
        // starts put even the top of the interval under 30 %; at minute 2 only 8 were judged (under Fraud:MinSends).
        Assert.Equal([0, 0, 0, 8, 8, 8], refusedPerMinute);
        Assert.Empty(traffic.Refused);
        var rule = Assert.Single(await engine.Services.GetRequiredService<FraudLists>().ListAsync(CancellationToken.None));
        Assert.Equal(("+12125", "block", "guard"), (rule.Target.Display, rule.Kind, rule.Source));
        Assert.Equal(engine.Time.GetUtcNow().AddMinutes(-3).AddHours(1), rule.Until);
        var logged = Assert.Single(engine.Logs.Lines, l => l.Contains("Fraud guard", StringComparison.Ordinal));
        Assert.Contains("prefix +12125 (US) blocked for 01:00:00, conversion too low: 16 sends judged, 0 approved", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("1212555", logged, StringComparison.Ordinal);
        Assert.Equal("US", Assert.Single(blocks.GetMeasurementSnapshot()).Tags["country"]);
    }

    [Fact]
    public async Task While_a_prefix_is_blocked_its_countrys_other_prefixes_start_and_after_the_cooling_period_it_starts_again()
    {
        await using var engine = await Engine.StartAsync();
        var traffic = new Traffic(engine);
        for (var minute = 0; minute < 4; minute++)
        {
            await traffic.LegitAsync(8);
            await traffic.SweepAsync(Attacked, minute * 8, 8);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(Refusal.FraudSuspected, (await traffic.StartAsync("+1 212 555 9000")).Refusal?.Reason);
        // The same area code outside the blocked prefix, and the country's other prefixes: untouched.
        Assert.Null((await traffic.StartAsync("+1 212 455 9000")).Refusal);
        await traffic.LegitAsync(20);
        Assert.Empty(traffic.Refused);

        // Blocked at minute 3, for an hour.
        engine.Time.Advance(TimeSpan.FromMinutes(58));
        Assert.Equal(Refusal.FraudSuspected, (await traffic.StartAsync("+1 212 555 9001")).Refusal?.Reason);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await traffic.StartAsync("+1 212 555 9002")).Refusal);
    }

    [Fact]
    public async Task The_refusal_says_nothing_an_attacker_could_tune_with()
    {
        await using var engine = await Engine.StartAsync();
        var traffic = new Traffic(engine);
        for (var minute = 0; minute < 4; minute++)
        {
            await traffic.SweepAsync(Attacked, minute * 8, 8);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var refusal = (await traffic.StartAsync("+1 212 555 9000")).Refusal!;

        Assert.Equal(new Refused(Refusal.FraudSuspected, FraudGuard.RefusalMessage), refusal);
        Assert.Equal("Verification codes cannot be sent to this number right now; try again later or use another number.", refusal.Message);
    }
}

using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>
/// The start rate, by approvals over the window: a prefix may take five times its share of its country's approvals, of
/// the country's starts this minute (at least 10); a country ten times its approvals a minute (at least 60). A launch
/// raises every prefix together and passes; a sweep of one does not.
/// </summary>
public sealed class VelocityTests
{
    // A 15-minute window, so 15 minutes of history are a whole window's.
    private static readonly Dictionary<string, string?> Window = new() { ["Fraud:Window"] = "00:15:00" };

    private static async Task<Traffic> WithHistoryAsync(Engine engine)
    {
        // 15 minutes of normal traffic: 2 starts a minute in each of ten prefixes of +1, four in five approved.
        var traffic = new Traffic(engine);
        for (var minute = 0; minute < 15; minute++)
        {
            await traffic.LegitAsync(20);
            engine.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(traffic.Refused);
        return traffic;
    }

    [Fact]
    public async Task A_launch_day_spike_of_six_times_the_rate_across_the_countrys_prefixes_passes()
    {
        await using var engine = await Engine.StartAsync(settings: Window);
        var traffic = await WithHistoryAsync(engine);

        // 120 in a minute: 12 per prefix, over the 10 a prefix without approvals may take, but each keeps its share.
        await traffic.LegitAsync(120);

        Assert.Empty(traffic.Refused);
    }

    [Fact]
    public async Task A_sweep_of_one_prefix_is_refused_once_it_takes_five_times_its_share_while_the_others_go_on()
    {
        await using var engine = await Engine.StartAsync(settings: Window);
        var traffic = await WithHistoryAsync(engine);

        // A normal minute's 20, then 40 sequential numbers in one of the ten prefixes (its share: a tenth).
        await traffic.LegitAsync(20);
        var refused = await traffic.SweepAsync("+1 646 299 ", 0, 40);
        await traffic.LegitAsync(18, Traffic.LegitPrefixes[1..]);

        // 2 of its own this minute, then the sweep: refused past 5 × 1/10 (its share of approvals) of the country's starts, at least 10.
        Assert.InRange(40 - refused, 8, 20);
        Assert.Empty(traffic.Refused);
    }

    [Fact]
    public async Task A_country_taking_over_ten_times_its_approvals_a_minute_is_refused_beyond_them()
    {
        await using var engine = await Engine.StartAsync(settings: Window);
        var traffic = await WithHistoryAsync(engine);

        // 16 approvals a minute on average: 160 starts pass in a minute, spread over the prefixes (none approved yet:
        // approvals coming in would raise it); the rest of the minute is refused.
        await traffic.LegitAsync(230, approving: false);

        Assert.Equal(70, traffic.Refused.Count);
    }
}

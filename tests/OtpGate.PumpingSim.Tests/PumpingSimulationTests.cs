using OtpGate.PumpingSim;

namespace OtpGate.PumpingSim.Tests;

/// <summary>
/// The pumping simulation at small scale (25 simulated minutes, 300 real users per scenario, on a driven clock and a
/// fixed seed, so it repeats exactly): each attacker is stopped under 50 messages per prefix, under 1 % of real users
/// are refused. The full-scale figures are in bench/RESULTS.md.
/// </summary>
public sealed class PumpingSimulationTests
{
    [Fact]
    public async Task A_sweep_a_sweep_faking_conversion_and_a_slow_spread_each_get_under_fifty_messages_per_prefix_and_real_users_pass()
    {
        var runs = await PumpingRuns.RunSmallAsync(seed: 19);

        Assert.Equal(["sweep", "sweep, wrong codes checked", "spread over many prefixes, slowly"], runs.Select(r => r.Scenario));
        Assert.All(runs, run =>
        {
            Assert.True(run.MaxSentBeforeStop < PumpingRuns.MaxMessagesPerPrefix, run.Text);
            Assert.True(run.LegitRefusedShare < PumpingRuns.MaxLegitRefused, run.Text);
            Assert.True(run.AttackSent > 0, run.Text); // the attacker did get some through: the figures are measured, not vacuous
        });
        // Checking wrong codes fakes nothing: only approvals count, so the guard stops that sweep as soon as the plain one.
        Assert.Equal(runs[0].MaxSentBeforeStop, runs[1].MaxSentBeforeStop);
    }
}

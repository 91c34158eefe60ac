namespace OtpGate.PumpingSim;

/// <summary>Runs scenarios one after the other, each on its own engine, and judges them against the goals.</summary>
public static class PumpingRuns
{
    /// <summary>Goal: fewer messages than this to any attacked prefix before the guard stops it.</summary>
    public const int MaxMessagesPerPrefix = 50;

    /// <summary>Goal: fewer real users refused than this share.</summary>
    public const double MaxLegitRefused = 0.01;

    internal static async Task<IReadOnlyList<Report>> RunAsync(IEnumerable<Scenario> scenarios)
    {
        var reports = new List<Report>();
        foreach (var scenario in scenarios)
        {
            reports.Add(await Simulation.RunAsync(scenario));
        }

        return reports;
    }

    /// <summary>Runs the small-scale scenarios with <paramref name="seed"/>: what the test asserts on.</summary>
    public static async Task<IReadOnlyList<(string Scenario, int MaxSentBeforeStop, double LegitRefusedShare, int AttackSent, string Text)>> RunSmallAsync(int seed) =>
        [.. (await RunAsync(Scenario.Small(seed))).Select(r => (r.Scenario, r.MaxSentBeforeStop, r.LegitRefusedShare, r.AttackSentTotal, r.Describe()))];

    internal static bool MeetsGoals(IEnumerable<Report> reports) =>
        reports.All(r => r.MaxSentBeforeStop < MaxMessagesPerPrefix && r.LegitRefusedShare < MaxLegitRefused);

    internal static string Verdict(IReadOnlyList<Report> reports) =>
        MeetsGoals(reports)
            ? $"Goals met: every attacked prefix stopped under {MaxMessagesPerPrefix} messages, real users refused under {MaxLegitRefused:P0}."
            : $"Goals NOT met (under {MaxMessagesPerPrefix} messages per prefix, under {MaxLegitRefused:P0} of real users refused).";
}

using OtpGate.Verification.Verifications;

namespace OtpGate.PumpingSim;

/// <summary>
/// One scenario against a fresh engine: events in time order (real users' starts and checks, the attacker's attempts)
/// on a driven clock, so a two-hour run takes seconds and a seed repeats it exactly.
/// </summary>
internal sealed class Simulation(Scenario scenario, SimEngine engine)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly VerificationOwner Owner = VerificationOwner.ApiKey("pumpingsim");
    private static CancellationToken None => CancellationToken.None;

    private readonly Random _random = new(scenario.Seed);
    private readonly PriorityQueue<Func<Task>, (double Seconds, long Order)> _events = new();
    private readonly HashSet<string> _used = [];
    private readonly Report _report = new(scenario.Name);
    private long _order;

    public static async Task<Report> RunAsync(Scenario scenario)
    {
        await using var engine = await SimEngine.StartAsync(Start, new Dictionary<string, string?>());
        return await new Simulation(scenario, engine).RunAsync();
    }

    private async Task<Report> RunAsync()
    {
        ScheduleLegit();
        ScheduleAttack();
        while (_events.TryDequeue(out var action, out var at))
        {
            engine.Time.SetUtcNow(Start.AddSeconds(at.Seconds));
            await action();
        }

        _report.FinalRules = [.. (await engine.Lists.ListAsync(None)).Select(r => $"{r.Target.Display} {r.Kind} by {r.Source}: {r.Evidence}")];
        return _report;
    }

    private void At(double seconds, Func<Task> action) => _events.Enqueue(action, (seconds, _order++));

    private double Now => (engine.Time.GetUtcNow() - Start).TotalSeconds;

    private void ScheduleLegit()
    {
        var total = scenario.Minutes * scenario.LegitPerMinute;
        for (var i = 0; i < total; i++)
        {
            At(_random.NextDouble() * scenario.Minutes * 60, LegitUserAsync);
        }
    }

    // A real user: starts, and four in five type the right code 10 to 90 seconds later.
    private async Task LegitUserAsync()
    {
        var phone = Unused(() => Numbers.Random(_random, PickLegitRegion()));
        var started = await engine.Verifications.StartAsync(Owner, new StartRequest(phone), None);
        _report.LegitStarted(started.Refusal?.Reason);
        if (started.Verification is not { } verification || _random.NextDouble() >= 0.8)
        {
            return;
        }

        At(Now + 10 + _random.NextDouble() * 80, async () =>
        {
            var checkedResult = await engine.Verifications.CheckAsync(Owner, verification.Id, await engine.ReadCodeAsync(verification.Id), None);
            _report.LegitChecked(checkedResult.Succeeded);
        });
    }

    private void ScheduleAttack()
    {
        var from = scenario.AttackFromMinute * 60.0;
        var interval = 60.0 / scenario.AttemptsPerMinute;
        if (scenario.Attack == Attack.Spread)
        {
            for (var t = from; t < scenario.Minutes * 60; t += interval)
            {
                At(t, () => AttemptAsync(Unused(() => Numbers.Random(_random, Scenario.SpreadRegions[_random.Next(Scenario.SpreadRegions.Length)]))));
            }

            return;
        }

        foreach (var region in Scenario.SweptRegions)
        {
            var (_, nth) = Numbers.Sequence(region);
            var next = 0;
            for (var t = from; t < scenario.Minutes * 60; t += interval)
            {
                At(t, () => AttemptAsync(nth(next++)));
            }
        }
    }

    // The attacker never types the right code; faking conversion, it types a wrong one at once.
    private async Task AttemptAsync(string phone)
    {
        var prefix = Numbers.LongestPrefix(phone);
        var started = await engine.Verifications.StartAsync(Owner, new StartRequest(phone), None);
        if (started.Verification is { } verification)
        {
            _report.AttackSent(prefix, Now);
            if (scenario.Attack == Attack.FakeConversion)
            {
                var code = await engine.ReadCodeAsync(verification.Id);
                await engine.Verifications.CheckAsync(Owner, verification.Id, code[..^1] + (char)('0' + (code[^1] - '0' + 1) % 10), None);
            }

            return;
        }

        if (!_report.IsStopped(prefix) && await CoveringBlockAsync(phone) is { } block)
        {
            _report.Stopped(prefix, block, Now);
        }
    }

    /// <summary>The guard's block in force that covers the number, if any (a refusal by the start rate alone is not a stop).</summary>
    private async Task<string?> CoveringBlockAsync(string phone)
    {
        var digits = phone.TrimStart('+');
        return (await engine.Lists.ListAsync(None))
            .Where(r => r.Kind == "block" && r.Source == "guard" && digits.StartsWith(r.Target.Display.TrimStart('+'), StringComparison.Ordinal))
            .Select(r => r.Target.Display)
            .FirstOrDefault();
    }

    private string PickLegitRegion()
    {
        var roll = _random.Next(100);
        foreach (var (region, weight) in Scenario.LegitRegions)
        {
            if ((roll -= weight) < 0)
            {
                return region;
            }
        }

        return Scenario.LegitRegions[0].Region;
    }

    private string Unused(Func<string> next)
    {
        while (true)
        {
            var phone = next();
            if (_used.Add(phone))
            {
                return phone;
            }
        }
    }
}

using System.Text;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.PumpingSim;

/// <summary>What one scenario showed: real users refused, and per attacked prefix the messages sent before the guard stopped it.</summary>
internal sealed class Report(string scenario)
{
    private readonly Dictionary<string, PrefixTally> _prefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<Refusal, int> _legitRefusals = [];

    public string Scenario => scenario;

    public int LegitStarts { get; private set; }

    public int LegitRefused => _legitRefusals.Values.Sum();

    public int LegitApproved { get; private set; }

    public int LegitCheckFailures { get; private set; }

    public double LegitRefusedShare => LegitStarts == 0 ? 0 : (double)LegitRefused / LegitStarts;

    public IReadOnlyDictionary<string, PrefixTally> Prefixes => _prefixes;

    public int AttackSentTotal => _prefixes.Values.Sum(p => p.Sent);

    /// <summary>The most messages one attacked prefix got before the guard's block covered it (or in the whole run, if never covered).</summary>
    public int MaxSentBeforeStop => _prefixes.Values.Select(p => p.SentBeforeStop).DefaultIfEmpty(0).Max();

    public IReadOnlyList<string> FinalRules { get; set; } = [];

    public void LegitStarted(Refusal? refusal)
    {
        LegitStarts++;
        if (refusal is { } reason)
        {
            _legitRefusals[reason] = _legitRefusals.GetValueOrDefault(reason) + 1;
        }
    }

    public void LegitChecked(bool approved)
    {
        if (approved)
        {
            LegitApproved++;
        }
        else
        {
            LegitCheckFailures++;
        }
    }

    public void AttackSent(string prefix, double seconds)
    {
        var tally = Tally(prefix);
        tally.Sent++;
        tally.LastSentMinute = seconds / 60;
    }

    public bool IsStopped(string prefix) => _prefixes.TryGetValue(prefix, out var tally) && tally.StoppedBy is not null;

    public void Stopped(string prefix, string block, double seconds)
    {
        var tally = Tally(prefix);
        (tally.StoppedBy, tally.StoppedMinute, tally.SentAtStop) = (block, seconds / 60, tally.Sent);
    }

    private PrefixTally Tally(string prefix) => _prefixes.TryGetValue(prefix, out var tally) ? tally : _prefixes[prefix] = new PrefixTally();

    public string Describe(int topPrefixes = 8)
    {
        var text = new StringBuilder();
        text.AppendLine($"## {scenario}");
        text.AppendLine($"real users: {LegitStarts} starts, {LegitRefused} refused ({LegitRefusedShare:P2}"
            + (_legitRefusals.Count > 0 ? ": " + string.Join(", ", _legitRefusals.Select(r => $"{r.Key.ToWireName()} {r.Value}")) : "") + $"), {LegitApproved} approved");
        text.AppendLine($"attacker: {AttackSentTotal} messages sent to {_prefixes.Count} prefixes; most to one prefix before the guard stopped it: {MaxSentBeforeStop}");
        text.AppendLine("| prefix | sent before stopped | stopped by (at minute) | sent in the whole run |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (prefix, tally) in _prefixes.OrderByDescending(p => p.Value.Sent).Take(topPrefixes))
        {
            var stop = tally.StoppedBy is null ? "not stopped" : $"{tally.StoppedBy} ({tally.StoppedMinute:0.0})";
            text.AppendLine($"| +{prefix} | {tally.SentBeforeStop} | {stop} | {tally.Sent} |");
        }

        if (_prefixes.Count > topPrefixes)
        {
            text.AppendLine($"| ({_prefixes.Count - topPrefixes} more prefixes) | at most {_prefixes.Values.OrderByDescending(p => p.Sent).Skip(topPrefixes).Select(p => p.Sent).DefaultIfEmpty(0).Max()} each | | |");
        }

        text.AppendLine("rules in force at the end: " + (FinalRules.Count == 0 ? "none" : string.Join("; ", FinalRules)));
        return text.ToString();
    }
}

/// <summary>One attacked prefix: messages sent, and when (and by which block) the guard stopped it.</summary>
internal sealed class PrefixTally
{
    public int Sent { get; set; }

    public double LastSentMinute { get; set; }

    public string? StoppedBy { get; set; }

    public double StoppedMinute { get; set; }

    public int SentAtStop { get; set; }

    public int SentBeforeStop => StoppedBy is null ? Sent : SentAtStop;
}

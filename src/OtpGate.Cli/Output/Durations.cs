using System.CommandLine.Parsing;
using System.Globalization;

namespace OtpGate.Cli.Output;

/// <summary>Durations people type: <c>90</c> or <c>90s</c>, <c>500ms</c>, <c>2m</c>, or <c>00:01:30</c>.</summary>
internal static class Durations
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        if (TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"{text} is not a duration; use for example 30s, 500ms, 2m or 00:01:30");
        return TimeSpan.Zero;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = TimeSpan.FromSeconds(number * seconds);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            value = TimeSpan.FromSeconds(plain);
            return true;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(TimeSpan value) => value < TimeSpan.FromMinutes(1)
        ? value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : value.ToString(@"m\:ss", CultureInfo.InvariantCulture) + " min";
}

using System.Globalization;

namespace OtpGate.LoadTool;

/// <summary><c>--name value</c> pairs, and everything after <c>--</c> as a command line.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Rest { get; private init; } = [];

    public static Args Parse(string[] args)
    {
        var parsed = new Args();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                return new Args { Rest = args[(i + 1)..] }.With(parsed._values);
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value, got \"{args[i]}\".");
            }

            parsed._values[args[i][2..]] = args[++i];
        }

        return parsed;
    }

    public string Get(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public long Long(string name, long fallback) => _values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private Args With(Dictionary<string, string> values)
    {
        foreach (var (k, v) in values)
        {
            _values[k] = v;
        }

        return this;
    }
}

using System.Collections;

namespace OtpGate.Cli;

/// <summary>
/// Where a run of the command writes and what it can see: the two streams, the environment and the working
/// directory. Tests pass their own, so parallel runs never share <see cref="Console"/>.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment, string WorkingDirectory)
{
    /// <summary>True when standard output is a terminal (colours, aligned tables for people).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal (live progress lines).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb.</summary>
    public bool UseColor => OutIsTerminal && !HasValue("NO_COLOR") && Variable("TERM") != "dumb";

    /// <summary>The live, rewritten progress line only on a terminal; plain lines otherwise.</summary>
    public bool LiveProgress => ErrorIsTerminal && Variable("TERM") != "dumb";

    /// <summary>True for the real process, which alone registers for Ctrl+C and SIGTERM.</summary>
    public bool HandlesSignals { get; init; }

    public string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    private bool HasValue(string name) => !string.IsNullOrEmpty(Variable(name));

    /// <summary>The real process: its streams, environment and current directory.</summary>
    public static CliConsole FromProcess()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string;
        }

        return new CliConsole(Console.Out, Console.Error, environment, System.Environment.CurrentDirectory)
        {
            OutIsTerminal = !Console.IsOutputRedirected,
            ErrorIsTerminal = !Console.IsErrorRedirected,
            HandlesSignals = true,
        };
    }
}

using System.Text.Json.Nodes;

namespace OtpGate.Cli.Tests.Support;

/// <summary>Runs the otpgate entry point in-process with its own streams and environment (nothing from the test process leaks in).</summary>
public static class Otpgate
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(environment, terminal: false, args);

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, bool terminal, params string[] args)
    {
        var stdout = new CapturedWriter();
        var stderr = new CapturedWriter();
        var console = new CliConsole(stdout, stderr, environment, Path.GetTempPath()) { OutIsTerminal = terminal, ErrorIsTerminal = terminal };
        var exitCode = await CliApp.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>What one run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("No JSON on standard output.");

    /// <summary>The standard error lines that are not progress (what a person reads as the error).</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

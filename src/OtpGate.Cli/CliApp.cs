using System.CommandLine;
using System.CommandLine.Parsing;
using OtpGate.Cli.Channel;
using OtpGate.Cli.Doctor;
using OtpGate.Cli.Hosting;
using OtpGate.Cli.Sending;
using OtpGate.Cli.Verify;
using OtpGate.OneMsg;

namespace OtpGate.Cli;

/// <summary>
/// The <c>otpgate</c> command. <see cref="RunAsync(IReadOnlyList{string}, CliConsole, CancellationToken, TimeProvider?)"/>
/// is the whole program: it parses, runs one command, prints any error as one sentence on standard error and
/// returns the exit code (<see cref="ExitCodes"/>). It never touches <see cref="Console"/> itself, so tests run
/// it in parallel with their own writers.
/// </summary>
public static class CliApp
{
    /// <summary>Runs the command with the given streams and environment, in the current directory.</summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(stdout, stderr, environment, Environment.CurrentDirectory), cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = BuildRoot(new CommandRuntime(console, time ?? TimeProvider.System));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var messages = string.Join(" ", parse.Errors.Select(e => e.Message.TrimEnd('.') + "."));
            await console.Error.WriteLineAsync($"Error: {messages} Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the command's token; only the real process registers for the signal. The wait covers
            // `serve`, whose server takes up to its 30 s graceful shutdown to finish in-flight sends; every other
            // command ends as soon as it is cancelled.
            ProcessTerminationTimeout = console.HandlesSignals ? TimeSpan.FromSeconds(35) : null,
        };

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e, cancellationToken);
            await console.Error.WriteLineAsync("Error: " + OneLine(message));
            return code;
        }
    }

    private static RootCommand BuildRoot(CommandRuntime runtime)
    {
        var root = new RootCommand("otpgate: send a test code through 1MSG, inspect the channel, check a configuration end to end, run the sandbox or the server.");
        root.Subcommands.Add(SendCommand.Create(runtime));
        root.Subcommands.Add(TemplatesCommand.Create(runtime));
        root.Subcommands.Add(HookInfoCommand.Create(runtime));
        root.Subcommands.Add(WebhookCommand.Create(runtime));
        root.Subcommands.Add(SettingsCommand.Create(runtime));
        root.Subcommands.Add(StatusCommand.Create(runtime));
        root.Subcommands.Add(DoctorCommand.Create(runtime));
        root.Subcommands.Add(SandboxCommand.Create(runtime));
        root.Subcommands.Add(ServeCommand.Create(runtime));
        root.Subcommands.Add(VerifyCommand.Create(runtime));
        root.Subcommands.Add(Services.ServicesCommand.Create(runtime));
        root.Subcommands.Add(Events.EventsCommand.Create(runtime));
        root.Subcommands.Add(Spend.SpendCommand.Create(runtime));
        root.Subcommands.Add(Fraud.FraudCommand.Create(runtime));
        return root;
    }

    /// <summary>Maps what escaped a command to an exit code and a sentence, never a stack trace.</summary>
    private static (int Code, string Message) Describe(Exception e, CancellationToken cancellationToken) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        // An answer from 1MSG is the remote side saying no; no answer at all (timeout, network) is unexpected.
        OneMsgException oneMsg => (oneMsg.StatusCode is null ? ExitCodes.Unexpected : ExitCodes.Refused, oneMsg.Message),
        ArgumentException argument => (ExitCodes.Usage, StripParameter(argument)),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Unexpected, "Interrupted."),
        OperationCanceledException => (ExitCodes.Unexpected, "The operation timed out."),
        HttpRequestException http => (ExitCodes.Unexpected, $"A network request failed: {http.Message}"),
        _ => (ExitCodes.Unexpected, $"Unexpected {e.GetType().Name}: {e.Message}"),
    };

    // ArgumentException appends " (Parameter 'x')"; the sentence before it is what a person needs.
    private static string StripParameter(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            if (command.Command is not RootCommand)
            {
                names.Insert(0, command.Command.Name);
            }
        }

        return string.Join(' ', ["otpgate", .. names]);
    }
}

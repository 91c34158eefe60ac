using System.CommandLine;
using System.Net;
using OtpGate.Cli.Channel;
using OtpGate.OneMsg;
using OtpGate.Cli.Configuration;

namespace OtpGate.Cli;

/// <summary>
/// What the commands of one command tree share: the console, the clock, and the option instances used by many
/// commands. Wraps each command's body so it runs with a fresh <see cref="CommandContext"/>.
/// </summary>
internal sealed class CommandRuntime(CliConsole console, TimeProvider time)
{
    public CliConsole Console { get; } = console;

    public TimeProvider Time { get; } = time;

    public ConfigOptions Config { get; } = new();

    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON (for scripts) instead of aligned text." };

    public void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(parse, this);
            try
            {
                return await body(context, cancellationToken);
            }
            catch (OneMsgException e) when (e.StatusCode is null && context.Mode.IsSandbox)
            {
                // The embedded default without its server: say which server was tried and how to have one.
                throw new CliException(ExitCodes.Unexpected,
                    $"No OtpGate server answers at {context.ServerUrl().GetLeftPart(UriPartial.Authority)} ({e.Message.TrimEnd('.')}). With no OneMsg key set, " +
                    $"otpgate talks to the 1MSG sandbox built into the server: start one with `otpgate serve`, point {CommandContext.ServerUrlVariable} at it, " +
                    "or set OneMsg:BaseUrl, OneMsg:ChannelId and OneMsg:Token for a real channel.");
            }
            catch (OneMsgException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // An OtpGate server's root given as the 1MSG base URL: say which base URL to use instead.
                throw await ServerRootGuess.ExplainAsync(context, cancellationToken) ?? (Exception)e;
            }
        });
}

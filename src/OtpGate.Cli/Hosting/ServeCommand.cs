using System.CommandLine;
using Microsoft.Extensions.Configuration;
using OtpGate.Server;

namespace OtpGate.Cli.Hosting;

/// <summary>
/// <c>otpgate serve [server options…]</c>: runs the OtpGate server, in this process, exactly as
/// <c>dotnet run --project src/OtpGate.Server</c> does (<see cref="ServerHost"/>), rooted in the current directory (so
/// <c>appsettings.json</c> is found there), with the same data folder wherever it is started (<see cref="Server.Hosting.DataFolder"/>). Arguments the command does not know
/// (<c>--urls</c>, <c>--OneMsg:ChannelId=…</c>) go to the server; <c>--config</c> and <c>--set</c> come under them.
/// Ctrl+C stops it gracefully.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("serve", "Run the OtpGate server (HTTP API, webhook receiver, sign-up app) until Ctrl+C; other arguments, such as --urls, go to the server.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(runtime.Config.Config);
        command.Options.Add(runtime.Config.Set);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            int exitCode;
            try
            {
                exitCode = await ServerHost.RunAsync(Arguments(context), context.Out, context.Console.Error, context.Configuration.AsEnumerable(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C before the server was listening.
                return ExitCodes.Success;
            }

            // The server exits with 1 when its configuration, its storage or a taken address keeps it from starting; it
            // has said why, in a sentence, on standard error.
            return exitCode == 0 ? ExitCodes.Success : ExitCodes.Usage;
        });
        return command;
    }

    private static List<string> Arguments(CommandContext context)
    {
        List<string> arguments = [.. context.Parse.UnmatchedTokens];
        if (!arguments.Exists(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)))
        {
            arguments.AddRange(["--contentRoot", context.Console.WorkingDirectory]);
        }

        // The server's static files, shipped next to the command (see the project file).
        var webRoot = Path.Combine(AppContext.BaseDirectory, "server-wwwroot");
        if (Directory.Exists(webRoot) && !arguments.Exists(a => a.StartsWith("--webroot", StringComparison.OrdinalIgnoreCase)))
        {
            arguments.AddRange(["--webroot", webRoot]);
        }

        return arguments;
    }
}

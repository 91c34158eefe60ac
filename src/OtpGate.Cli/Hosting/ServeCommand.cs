using System.CommandLine;

namespace OtpGate.Cli.Hosting;

/// <summary>
/// <c>otpgate serve</c>: runs the OtpGate server. The server (src/OtpGate.Server) is not part of this build yet,
/// so the command says so and exits with 3 rather than guessing where a server might be.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("serve", "Run the OtpGate server (HTTP API, webhook receiver, sign-up app).");
        command.TreatUnmatchedTokensAsErrors = false;
        runtime.SetAction(command, (_, _) => throw new CliException(ExitCodes.Unexpected,
            "The server is not available in this build of otpgate: src/OtpGate.Server does not exist yet. Run the 1MSG sandbox with `otpgate sandbox` meanwhile."));
        return command;
    }
}

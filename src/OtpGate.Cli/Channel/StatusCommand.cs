using System.CommandLine;

namespace OtpGate.Cli.Channel;

/// <summary><c>otpgate status</c>: the channel's connection state; exit 2 when it cannot send.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("status", "Show the channel's connection state (exit code 2 when it is not connected).");
        runtime.Config.AddChannelOptions(command);
        command.Options.Add(runtime.Json);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var options = context.OneMsgOptions();
            var status = await context.OneMsg().GetStatusAsync(cancellationToken);
            if (context.Json)
            {
                context.WriteJson(new { channel = options.ChannelId, status = status.Status, accountStatus = status.AccountStatus, ok = status.IsOk });
            }
            else
            {
                var word = status.IsOk ? context.Style.Green(status.Status) : context.Style.Red(status.Status);
                var account = status.AccountStatus is null ? "" : $" (account {status.AccountStatus})";
                context.Out.WriteLine($"Channel {options.ChannelId} at {options.BaseUrl.ToString().TrimEnd('/')}: {word}{account}.");
            }

            return status.IsOk
                ? ExitCodes.Success
                : throw CliException.Refused($"The channel is {status.Status}, so it cannot send; reconnect it in the 1MSG dashboard.");
        });
        return command;
    }
}

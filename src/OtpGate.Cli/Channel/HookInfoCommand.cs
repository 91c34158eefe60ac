using System.CommandLine;
using System.Globalization;
using OtpGate.Cli.Output;
using OtpGate.Cli.Sending;

namespace OtpGate.Cli.Channel;

/// <summary><c>otpgate hook-info &lt;messageId&gt;</c>: the statuses 1MSG recorded for one message.</summary>
internal static class HookInfoCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var messageId = new Argument<string>("messageId") { Description = "The wamid.… id that send (or the server) got from 1MSG." };
        var command = new Command("hook-info", "Show a message's delivery status history (1MSG's hookInfo).") { messageId };
        runtime.Config.AddChannelOptions(command);
        command.Options.Add(runtime.Json);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var id = context.Parse.GetValue(messageId)!;
            var statuses = (await context.OneMsg().GetHookInfoAsync(id, cancellationToken)).Select(StatusJson.From).ToList();
            if (context.Json)
            {
                context.WriteJson(new { messageId = id, statuses });
            }
            else if (statuses.Count == 0)
            {
                context.Out.WriteLine($"1MSG has no status for message {id} (yet). Statuses appear a second or two after a send; an id from another channel never has any.");
            }
            else
            {
                var table = new Table("time (utc)", "status", "recipient", "error");
                foreach (var s in statuses)
                {
                    var error = s.Error is null ? null : s.ErrorCode is { } code ? $"{s.Error} ({code})" : s.Error;
                    table.Add((s.Timestamp?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-", null),
                        (s.Status, s.Status == "failed" ? context.Style.Red : null), (s.Recipient ?? "", null), (error ?? "", null));
                }

                table.Write(context.Out, context.Style);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

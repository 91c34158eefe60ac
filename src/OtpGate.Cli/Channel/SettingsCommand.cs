using System.CommandLine;
using OtpGate.Cli.Output;
using OtpGate.OneMsg.Channel;

namespace OtpGate.Cli.Channel;

/// <summary><c>otpgate settings show | set key=value…</c> for the flags OtpGate depends on.</summary>
internal static class SettingsCommand
{
    private static readonly string[] Settable = ["ackNotificationsOn", "rawHooks", "guaranteedHooks"];

    public static Command Create(CommandRuntime runtime)
    {
        var show = new Command("show", "Show the channel settings.");
        var pairs = new Argument<string[]>("key=value") { Description = $"Settings to change: {string.Join(", ", Settable)} (true or false).", Arity = ArgumentArity.OneOrMore };
        var set = new Command("set", "Change settings, e.g. `otpgate settings set ackNotificationsOn=true`.") { pairs };
        foreach (var sub in (Command[])[show, set])
        {
            runtime.Config.AddChannelOptions(sub);
            sub.Options.Add(runtime.Json);
        }

        runtime.SetAction(show, async (context, cancellationToken) =>
        {
            Write(context, await context.OneMsg().GetSettingsAsync(cancellationToken));
            return ExitCodes.Success;
        });

        runtime.SetAction(set, async (context, cancellationToken) =>
        {
            var update = Parse(context.Parse.GetValue(pairs) ?? []);
            var client = context.OneMsg();
            await client.UpdateSettingsAsync(update, cancellationToken);
            Write(context, await client.GetSettingsAsync(cancellationToken));
            return ExitCodes.Success;
        });

        return new Command("settings", "Show or change the channel settings (acknowledgements, raw hooks, guaranteed hooks).") { show, set };
    }

    internal static ChannelSettingsUpdate Parse(IEnumerable<string> pairs)
    {
        var update = new ChannelSettingsUpdate();
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            var key = Settable.FirstOrDefault(k => parts.Length == 2 && k.Equals(parts[0], StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                var hint = parts[0].Contains("webhook", StringComparison.OrdinalIgnoreCase) ? " Change webhook URLs with `otpgate webhook add|remove`." : "";
                throw CliException.Usage($"\"{parts[0]}\" is not a setting this command changes; use key=value with one of {string.Join(", ", Settable)}.{hint}");
            }

            if (!bool.TryParse(parts[1], out var value))
            {
                throw CliException.Usage($"{key} must be true or false; it is \"{parts[1]}\".");
            }

            update = key switch
            {
                "ackNotificationsOn" => update with { AckNotificationsOn = value },
                "rawHooks" => update with { RawHooks = value },
                _ => update with { GuaranteedHooks = value },
            };
        }

        return update;
    }

    private static void Write(CommandContext context, ChannelSettings settings)
    {
        if (context.Json)
        {
            context.WriteJson(settings);
            return;
        }

        var table = new Table("setting", "value");
        table.Add("webhookUrl", settings.WebhookUrls.Count == 0 ? "(none)" : string.Join(", ", settings.WebhookUrls));
        table.Add("ackNotificationsOn", Flag(settings.AckNotificationsOn));
        table.Add("rawHooks", Flag(settings.RawHooks));
        table.Add("guaranteedHooks", Flag(settings.GuaranteedHooks));
        table.Write(context.Out, context.Style);
        if (settings.AckNotificationsOn == false)
        {
            context.Out.WriteLine(context.Style.Yellow("ackNotificationsOn is off: 1MSG pushes no delivery statuses. Turn it on with `otpgate settings set ackNotificationsOn=true`."));
        }
    }

    private static string Flag(bool? value) => value switch { true => "true", false => "false", null => "(not reported)" };
}

using System.CommandLine;
using System.Security.Cryptography;
using OtpGate.Channels.OneMsg.Templates;
using OtpGate.Cli.Configuration;
using OtpGate.Cli.Output;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.Verification;
using OtpGate.Verification.Phones;

namespace OtpGate.Cli.Sending;

/// <summary>
/// <c>otpgate send</c>: the seed's Node.js script as a command. Sends the authentication template with the code in
/// the body and the copy-code button, prints the message id or 1MSG's answer in plain words, and with
/// <c>--wait</c> follows delivery through <c>hookInfo</c>.
/// </summary>
internal static class SendCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var phone = new Option<string>("--phone") { Description = "The recipient, in international format (e.g. +1 212 555 0100).", Required = true, HelpName = "number" };
        var code = new Option<string?>("--code") { Description = "The code to send; a random one of Verification:CodeLength digits when left out.", HelpName = "code" };
        var locale = new Option<string?>("--locale") { Description = "Send the template configured for this locale (OneMsg:Templates:<locale>).", HelpName = "locale" };
        var ttl = new Option<int?>("--ttl") { Description = "The message TTL in seconds (30-900; for SMS, Twilio's validity period, 1-36000); by default the code lifetime, as the server sends it.", HelpName = "seconds" };
        var wait = new Option<bool>("--wait") { Description = "Then follow delivery (polling hookInfo, or the SMS's status) until delivered, read or failed." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits (default 60s).", CustomParser = Durations.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(60), HelpName = "duration" };
        var interval = new Option<TimeSpan>("--interval") { Description = "How often --wait polls (default 1s).", CustomParser = Durations.Parse, DefaultValueFactory = _ => TimeSpan.FromSeconds(1), HelpName = "duration" };

        var command = new Command("send", "Send a test code in the configured authentication template (what 1MSG's registration-OTP script does), or by SMS with --channel sms.")
        {
            phone, code, locale, ttl, wait, timeout, interval,
        };
        runtime.Config.AddTemplateOptions(command);
        command.Options.Add(runtime.Json);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            // --channel sms sends by SMS; whatsapp, or a 1MSG channel id (the option's older meaning), by WhatsApp.
            if (context.Parse.GetValue(runtime.Config.Channel) == ConfigOptions.SmsChannel)
            {
                var sms = new SmsSend.Request(context.Parse.GetValue(phone), context.Parse.GetValue(code), context.Parse.GetValue(ttl),
                    context.Parse.GetValue(wait), context.Parse.GetValue(timeout), context.Parse.GetValue(interval));
                return await SmsSend.RunAsync(context, sms, cancellationToken);
            }

            var request = Prepare(context, context.Parse.GetValue(phone), context.Parse.GetValue(code), context.Parse.GetValue(locale), context.Parse.GetValue(ttl));
            var client = context.OneMsg();
            var result = await client.SendAuthenticationCodeAsync(request.Phone.Digits, request.Code, request.Template, request.TtlSeconds, cancellationToken);
            var report = SendReport.From(request, result);
            if (report.Outcome != "accepted" || !context.Parse.GetValue(wait))
            {
                return Finish(context, report, null);
            }

            WriteAccepted(context, report, waiting: true);
            var watcher = new DeliveryWatcher(client, context.Console, context.Time, context.Parse.GetValue(interval));
            var delivery = await watcher.WatchAsync(report.MessageId!, context.Parse.GetValue(timeout), cancellationToken);
            return Finish(context, report, delivery);
        });
        return command;
    }

    private static SendRequest Prepare(CommandContext context, string? phoneText, string? code, string? locale, int? ttl)
    {
        var phone = PhoneNumberParser.Parse(phoneText);
        if (!phone.IsValid)
        {
            throw CliException.Usage(phone.Message);
        }

        var verification = context.Options<VerificationOptions>();
        var generated = code is null;
        if (code is null)
        {
            if (verification.CodeLength is < 4 or > 10)
            {
                throw CliException.Usage($"Verification:CodeLength is {verification.CodeLength}; it must be between 4 and 10 digits.");
            }

            code = string.Concat(Enumerable.Range(0, verification.CodeLength).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
        }
        else if (OneMsgClient.ValidateCode(code) is { } problem)
        {
            throw CliException.Usage(problem);
        }

        if (ttl is { } seconds && seconds is < 30 or > 900)
        {
            throw CliException.Usage($"--ttl is {seconds}; WhatsApp accepts 30 to 900 seconds for an authentication template.");
        }

        var template = new TemplateCatalog(context.Options<TemplateOptions>()).Resolve(locale);
        if (template.Validate() is { } missing)
        {
            throw CliException.Usage($"No complete template is configured ({missing.TrimEnd('.')}). Set OneMsg:Template:Name, Namespace and Language, or pass --template, --namespace and --language; `otpgate templates` lists them.");
        }

        return new SendRequest(phone.Number, code, generated, template, ttl ?? DefaultTtlSeconds(verification));
    }

    /// <summary>What the server sends for a fresh code: the lifetime, capped by MaxMessageTtl and Meta's 900 s, at least 30 s.</summary>
    internal static int DefaultTtlSeconds(VerificationOptions options)
    {
        var ttl = options.MaxMessageTtl is { } max && max < options.CodeLifetime ? max : options.CodeLifetime;
        return (int)Math.Clamp(ttl.TotalSeconds, 30, 900);
    }

    private static int Finish(CommandContext context, SendReport report, DeliveryReport? delivery)
    {
        var final = report with { Delivery = delivery };
        if (context.Json)
        {
            context.WriteJson(final);
        }
        else if (report.Outcome is "accepted" or "queued")
        {
            if (delivery is null)
            {
                WriteAccepted(context, report, waiting: false);
            }
            else
            {
                context.Out.WriteLine($"{Label("delivery")}{delivery.Describe(context.Style)}");
            }
        }

        if (report.Outcome is not ("accepted" or "queued"))
        {
            throw new CliException(report.HttpStatus is null ? ExitCodes.Unexpected : ExitCodes.Refused, report.Sentence());
        }

        if (delivery is { Succeeded: false })
        {
            throw CliException.Refused(delivery.Sentence(report.MessageId!));
        }

        return ExitCodes.Success;
    }

    private static void WriteAccepted(CommandContext context, SendReport report, bool waiting)
    {
        if (context.Json)
        {
            return;
        }

        var style = context.Style;
        var what = report.Outcome == "queued" ? "Queued by 1MSG (no message id yet, so delivery cannot be followed)" : "Sent";
        context.Out.WriteLine($"{style.Green(what)} to {report.Phone} with template {report.Template.Name} ({report.Template.Language}).");
        if (report.MessageId is not null)
        {
            context.Out.WriteLine($"{Label("message id")}{report.MessageId}");
        }

        if (report.JobId is not null)
        {
            context.Out.WriteLine($"{Label("job id")}{report.JobId}");
        }

        if (report.Code is not null)
        {
            context.Out.WriteLine($"{Label("code")}{report.Code}");
        }

        if (!waiting && report.MessageId is not null)
        {
            context.Out.WriteLine(style.Dim($"Accepted is not delivered: follow it with `otpgate hook-info {report.MessageId}` or `otpgate send --wait`."));
        }
    }

    private static string Label(string label) => "  " + label.PadRight(12);
}

internal sealed record SendRequest(PhoneNumber Phone, string Code, bool Generated, TemplateReference Template, int TtlSeconds);

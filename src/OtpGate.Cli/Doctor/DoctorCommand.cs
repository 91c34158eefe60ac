using System.CommandLine;
using OtpGate.OneMsg.Templates;

namespace OtpGate.Cli.Doctor;

/// <summary>
/// <c>otpgate doctor</c>: checks a configuration end to end and prints a checklist, each line with a verdict and, when it
/// is not a pass, a fix. Exit code 0 only when nothing failed (warnings, such as a database not created yet before the
/// first server start, do not fail it); 2 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("doctor", "Check the configuration end to end: options, token, channel, templates, namespace, webhook, acknowledgements, code expiry and TTL, SMS (credentials, sender, status callback), storage, server secret.");
        runtime.Config.AddTemplateOptions(command);
        command.Options.Add(runtime.Config.WebhookBaseUrl);
        command.Options.Add(runtime.Config.DataDirectory);
        command.Options.Add(runtime.Json);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var checks = await RunChecksAsync(context, cancellationToken);
            DoctorReport.Write(context, checks);
            var failed = checks.Count(c => c.Verdict is Verdict.Fail or Verdict.Skip);
            return failed == 0
                ? ExitCodes.Success
                : throw CliException.Refused($"{checks.Count(c => c.Verdict == Verdict.Fail)} of {checks.Count} checks failed: {string.Join(", ", checks.Where(c => c.Verdict == Verdict.Fail).Select(c => c.Title))}.");
        });
        return command;
    }

    private static async Task<List<Check>> RunChecksAsync(CommandContext context, CancellationToken cancellationToken)
    {
        DoctorInputs inputs;
        try
        {
            inputs = DoctorInputs.Bind(context);
        }
        catch (CliException e) when (e.ExitCode == ExitCodes.Usage)
        {
            return [Check.Fail(OptionsCheck.Id, OptionsCheck.Title, e.Message, "Correct the value named above; nothing else can be checked until the configuration binds.")];
        }

        var (options, channelUsable) = OptionsCheck.Run(inputs);
        List<Check> checks = [options];
        IReadOnlyList<TemplateInfo> templates = [];
        if (channelUsable)
        {
            templates = await ChannelChecks.RunAsync(context.OneMsg(), inputs, checks, cancellationToken);
        }
        else
        {
            checks.Add(Check.Skip("token", "Token accepted", "the 1MSG options are incomplete."));
        }

        var asked = checks.Exists(c => c.Id == "token" && c.Verdict == Verdict.Pass);
        checks.Add(asked ? TemplateChecks.Expiry(templates, inputs.Verification) : Check.Skip("expiry", TemplateChecks.ExpiryTitle, "1MSG could not be asked for the templates."));
        checks.Add(TemplateChecks.Ttl(templates, inputs.Verification));
        checks.AddRange(await SmsChecks.RunAsync(context, cancellationToken));
        checks.Add(await LocalChecks.StorageAsync(inputs, cancellationToken));
        checks.Add(LocalChecks.Secret(inputs));
        return checks;
    }
}

using OtpGate.Cli.Output;
using OtpGate.OneMsg;
using OtpGate.Verification;

namespace OtpGate.Cli.Doctor;

/// <summary>The first line: every option the server validates at start-up, with the same sentences.</summary>
internal static class OptionsCheck
{
    public const string Id = "options";
    public const string Title = "Options valid";

    /// <summary>The check, and whether the 1MSG connection options alone are usable (the remote checks need them).</summary>
    public static (Check Check, bool ChannelUsable) Run(DoctorInputs inputs)
    {
        var channelProblems = new OneMsgOptionsValidator().Validate(null, inputs.OneMsg) is { Failed: true } failed ? failed.Failures.ToList() : [];
        var problems = new List<string>(channelProblems);
        foreach (var template in inputs.Templates)
        {
            if (string.IsNullOrWhiteSpace(template.Reference.Name))
            {
                problems.Add($"{template.Key}:Name is not set; give the approved authentication template's name, e.g. registration_otp.");
            }

            if (string.IsNullOrWhiteSpace(template.Reference.Language))
            {
                problems.Add($"{template.Key}:Language is not set; give the template's language code as /templates lists it, e.g. en.");
            }
        }

        if (inputs.WebhookBaseUrl is { Length: > 0 } webhook
            && (!Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"OneMsg:WebhookBaseUrl \"{webhook}\" is not an absolute http(s) URL; give the server's public base URL, e.g. https://otp.example.com.");
        }

        if (new VerificationOptionsValidator().Validate(null, inputs.Verification) is { Failed: true } verification)
        {
            problems.AddRange(verification.Failures);
        }

        if (inputs.Storage.Provider.Trim().ToUpperInvariant() is not ("SQLITE" or "" or "POSTGRES" or "POSTGRESQL"))
        {
            problems.Add($"Storage:Provider is \"{inputs.Storage.Provider}\"; use sqlite (the default) or postgres.");
        }

        if (problems.Count > 0)
        {
            return (Check.Fail(Id, Title, string.Join(" ", problems),
                "Set the keys named above in the --config file, as environment variables (OneMsg__Token) or with options (--channel, --set Section:Key=value)."),
                channelProblems.Count == 0);
        }

        var channel = $"channel {inputs.OneMsg.ChannelId} at {inputs.OneMsg.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}, token {Secrets.Mask(inputs.OneMsg.Token)}";
        return (Check.Pass(Id, Title, $"OneMsg ({channel}), template, Verification and Storage options are valid."), true);
    }
}

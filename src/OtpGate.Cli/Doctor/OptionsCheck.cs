using OtpGate.Cli.Output;
using OtpGate.OneMsg;

namespace OtpGate.Cli.Doctor;

/// <summary>The first line: the server's own start-up check of every option, with its sentences.</summary>
internal static class OptionsCheck
{
    public const string Id = "options";
    public const string Title = "Options valid";

    /// <summary>The check, and whether the 1MSG connection options alone are usable (the remote checks need them).</summary>
    public static (Check Check, bool ChannelUsable) Run(DoctorInputs inputs)
    {
        var channelUsable = new OneMsgOptionsValidator().Validate(null, inputs.OneMsg).Succeeded;
        if (inputs.OptionProblems.Count > 0)
        {
            return (Check.Fail(Id, Title, string.Join(" ", inputs.OptionProblems),
                "Set the keys named above in the --config file, as environment variables (OneMsg__Token) or with options (--channel, --set Section:Key=value)."),
                channelUsable);
        }

        var channel = $"channel {inputs.OneMsg.ChannelId} at {inputs.OneMsg.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}, token {Secrets.Mask(inputs.OneMsg.Token)}";
        return (Check.Pass(Id, Title, $"OneMsg ({channel}), template, webhook, Api, Verification and Storage options are valid, as the server checks them at start-up."), true);
    }
}

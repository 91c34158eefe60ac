using OtpGate.Sandbox;
using OtpGate.Sandbox.Sms;

namespace OtpGate.Cli.Tests.Support;

/// <summary>The server's keys for a sandbox as 1MSG and its Twilio stand-in as the SMS channel, as environment variables.</summary>
public static class SmsEnvironment
{
    public static Dictionary<string, string?> For(SandboxServer sandbox, params (string Key, string? Value)[] more)
    {
        var environment = TestSandbox.Environment(sandbox);
        environment["Sms__Twilio__AccountSid"] = SandboxSmsOptions.DefaultAccountSid;
        environment["Sms__Twilio__AuthToken"] = SandboxSmsOptions.DefaultAuthToken;
        environment["Sms__Twilio__From"] = SandboxSmsOptions.DefaultFrom;
        environment["Sms__Twilio__BaseUrl"] = sandbox.BaseUrl.ToString();
        environment["Sms__Twilio__MaxRetries"] = "0";
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return environment;
    }
}

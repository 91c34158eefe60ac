using System.Text.RegularExpressions;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task Sandbox_command_serves_the_1msg_api_until_cancelled_and_then_exits_0()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stdout = new CapturedWriter();
        var stderr = new CapturedWriter();
        var console = new CliConsole(stdout, stderr, new Dictionary<string, string?> { ["Sandbox__SentAfter"] = "00:00:00.050" }, Path.GetTempPath());
        var running = CliApp.RunAsync(["sandbox", "--urls", "http://127.0.0.1:0"], console, stop.Token);

        await Wait.UntilAsync(() => stdout.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal) || running.IsCompleted);
        var api = Regex.Match(stdout.ToString(), @"1MSG sandbox API: (http://127\.0\.0\.1:\d+)/sandbox/ \(token ""sandbox-token""\)");
        Assert.True(api.Success, stdout + "\n" + stderr);
        var environment = new Dictionary<string, string?>
        {
            ["OneMsg__BaseUrl"] = api.Groups[1].Value,
            ["OneMsg__ChannelId"] = "sandbox",
            ["OneMsg__Token"] = "sandbox-token",
        };
        var sent = await Otpgate.RunAsync(environment, "send", "--phone", "12125550100", "--template", "registration_otp", "--namespace", "otpgate_sandbox", "--language", "en");
        await stop.CancelAsync();
        var exitCode = await running;

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains($"Inbox:            {api.Groups[1].Value}/inbox", stdout.ToString());
        // The sandbox's log line masks the number, and shows only the end of the message id (which encodes the number).
        Assert.Matches(@"info: Sandbox accepted message wamid\.…\S{6} for 12\*{7}00 \(template registration_otp/en\)", stdout.ToString());
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Sandbox_command_will_not_listen_beyond_loopback_unless_remote_access_is_allowed()
    {
        var refused = await Otpgate.RunAsync(new Dictionary<string, string?>(), "sandbox", "--urls", "http://0.0.0.0:0");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stdout = new CapturedWriter();
        var console = new CliConsole(stdout, new CapturedWriter(), new Dictionary<string, string?>(), Path.GetTempPath());
        var allowed = CliApp.RunAsync(["sandbox", "--urls", "http://0.0.0.0:0", "--set", "Sandbox:AllowRemoteAccess=true"], console, stop.Token);
        await Wait.UntilAsync(() => stdout.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal) || allowed.IsCompleted);
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Matches(@"^Error: The 1MSG sandbox would answer beyond this machine on http://0\.0\.0\.0:\d+, .*Sandbox:AllowRemoteAccess=true", refused.Error);
        Assert.Contains("1MSG sandbox API: http://0.0.0.0:", stdout.ToString());
        Assert.Equal(0, await allowed);
    }
}

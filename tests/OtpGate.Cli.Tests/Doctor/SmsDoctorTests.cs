using System.Net;
using System.Net.Sockets;
using OtpGate.Cli.Tests.Support;
using OtpGate.Sandbox.Sms;

namespace OtpGate.Cli.Tests.Doctor;

/// <summary>
/// <c>otpgate doctor</c>'s SMS lines: credentials accepted, sender allowed, status callback reachable (the receiver's
/// 403 to an unsigned POST); each failure with the key to change.
/// </summary>
public sealed class SmsDoctorTests
{
    private static string Line(CliResult result, string title) =>
        result.Out.Split('\n').SingleOrDefault(l => l.Contains(title, StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"No line \"{title}\" in:\n{result}");

    /// <summary>The line and the fix under it.</summary>
    private static string Entry(CliResult result, string title)
    {
        var lines = result.Out.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(title, StringComparison.Ordinal));
        Assert.True(index >= 0, result.ToString());
        return lines[index] + "\n" + (index + 1 < lines.Length ? lines[index + 1] : "");
    }

    [Fact]
    public async Task With_no_settings_the_running_server_s_stand_in_passes_every_SMS_check()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);

        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root, ["Storage__DataDirectory"] = data.Path }, "doctor");

        Assert.StartsWith("  PASS  SMS credentials accepted", Line(result, "SMS credentials accepted"));
        Assert.StartsWith("  PASS  SMS sender allowed", Line(result, "SMS sender allowed"));
        Assert.Contains("+15005550006", Line(result, "SMS sender allowed"));
        Assert.StartsWith("  PASS  SMS status callback reachable", Line(result, "SMS status callback reachable"));
        Assert.Contains($"{served.Root}/webhooks/sms/twilio answers an unsigned callback with 403", result.Out);
        Assert.Contains("  SMS:          on, the sandbox's Twilio stand-in", served.Out.ToString());
    }

    [Fact]
    public async Task A_configured_Twilio_is_checked_against_that_account_and_the_server_s_receiver()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__StatusCallbackBaseUrl", served.Root),
            ("Sms__Twilio__From", ""), ("Sms__Twilio__MessagingServiceSid", SandboxSmsOptions.DefaultMessagingServiceSid)), "doctor");

        Assert.StartsWith("  PASS  SMS credentials accepted", Line(result, "SMS credentials accepted"));
        Assert.Contains($"Messaging Service {SandboxSmsOptions.DefaultMessagingServiceSid} exists", Line(result, "SMS sender allowed"));
        Assert.StartsWith("  PASS  SMS status callback reachable", Line(result, "SMS status callback reachable"));
    }

    [Fact]
    public async Task Refused_credentials_fail_with_the_keys_to_set_and_the_sender_is_not_checked()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__Twilio__AuthToken", "not-the-token")), "doctor");

        var entry = Entry(result, "SMS credentials accepted");
        Assert.StartsWith("  FAIL  SMS credentials accepted", entry);
        Assert.Contains("HTTP 401, code 20003", entry);
        Assert.Contains("fix: Copy the Account SID and Auth Token from the Twilio console into Sms:Twilio:AccountSid and Sms:Twilio:AuthToken", entry);
        Assert.StartsWith("  SKIP  SMS sender allowed", Line(result, "SMS sender allowed"));
        Assert.DoesNotContain("not-the-token", result.Out);
        Assert.Equal(ExitCodes.Refused, result.ExitCode);
    }

    [Theory]
    [InlineData("Sms__Twilio__From", "+15005550009", "is not a number of account", "fix: Set Sms:Twilio:From")]
    [InlineData("Sms__Twilio__MessagingServiceSid", "MG00000000000000000000000000000009", "was not found", "fix: Set Sms:Twilio:MessagingServiceSid")]
    public async Task A_sender_that_is_not_the_account_s_fails_naming_its_key(string key, string value, string says, string fix)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var settings = key.EndsWith("MessagingServiceSid", StringComparison.Ordinal) ? new[] { (key, (string?)value), ("Sms__Twilio__From", (string?)"") } : [(key, value)];

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, settings), "doctor");

        var entry = Entry(result, "SMS sender allowed");
        Assert.StartsWith("  FAIL  SMS sender allowed", entry);
        Assert.Contains(says, entry);
        Assert.Contains(fix, entry);
    }

    [Fact]
    public async Task A_callback_address_without_the_receiver_fails_and_says_where_to_point_it()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__StatusCallbackBaseUrl", sandbox.BaseUrl.ToString())), "doctor");

        var entry = Entry(result, "SMS status callback reachable");
        Assert.StartsWith("  FAIL  SMS status callback reachable", entry);
        Assert.Contains("answered 404: no SMS receiver there", entry);
        Assert.Contains("fix: Point Sms:StatusCallbackBaseUrl at this OtpGate server's public address", entry);
    }

    [Fact]
    public async Task A_callback_address_nothing_answers_at_fails_and_none_at_all_is_a_warning()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var unreachable = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__StatusCallbackBaseUrl", $"http://127.0.0.1:{ClosedPort()}")), "doctor");
        var none = await Otpgate.RunAsync(SmsEnvironment.For(sandbox), "doctor");

        Assert.Contains("could not be reached", Line(unreachable, "SMS status callback reachable"));
        Assert.StartsWith("  FAIL  SMS status callback reachable", Line(unreachable, "SMS status callback reachable"));
        Assert.StartsWith("  WARN  SMS status callback reachable", Line(none, "SMS status callback reachable"));
        Assert.Contains("fix: Set Sms:StatusCallbackBaseUrl", Entry(none, "SMS status callback reachable"));
    }

    [Fact]
    public async Task A_wrong_Sms_key_fails_the_options_line_with_the_server_s_own_sentence()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__Twilio__From", "15005550006")), "doctor");

        Assert.StartsWith("  FAIL  Options valid", Line(result, "Options valid"));
        Assert.Contains("Sms:Twilio:From is \"15005550006\"", result.Out);
        Assert.StartsWith("  FAIL  SMS credentials accepted", Line(result, "SMS credentials accepted"));
        Assert.Equal(ExitCodes.Refused, result.ExitCode);
    }

    [Fact]
    public async Task Without_an_SMS_channel_on_a_real_1MSG_there_is_no_SMS_line()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "doctor");

        Assert.DoesNotContain("SMS", result.Out);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

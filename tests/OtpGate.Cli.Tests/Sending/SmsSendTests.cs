using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Sending;

/// <summary><c>otpgate send --channel sms</c>: through the embedded default's stand-in, and through a configured Twilio (the stand-in of a sandbox).</summary>
public sealed class SmsSendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_settings_the_SMS_goes_through_the_running_server_s_stand_in_and_lands_in_its_inbox()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);

        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root }, "send", "--channel", "sms", "--phone", "+1 212 555 0100");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Sent by SMS to +12125550100 from +15005550006.", result.Out);
        var code = Regex.Match(result.Out, @"code\s+(\d+)").Groups[1].Value;
        using var http = new HttpClient();
        var inbox = (await http.GetFromJsonAsync<JsonArray>($"{served.Root}/sandbox/_sandbox/messages?phone=12125550100", Ct))!;
        var sms = Assert.Single(inbox)!;
        Assert.Equal(code, sms["code"]!.GetValue<string>());
        Assert.Equal("SMS", sms["template"]!["category"]!.GetValue<string>());
        Assert.Contains($"message id  {sms["id"]!.GetValue<string>()}", result.Out);
    }

    [Fact]
    public async Task With_wait_and_json_it_follows_the_SMS_to_delivered_and_prints_no_given_code()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox), "send", "--channel", "sms", "--phone", "12125550100", "--code", "424242", "--wait", "--interval", "50ms", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("accepted", result.Json["outcome"]!.GetValue<string>());
        Assert.Equal("sms", result.Json["channel"]!.GetValue<string>());
        Assert.Equal("delivered", result.Json["delivery"]!.GetValue<string>());
        Assert.Null(result.Json["code"]);
        Assert.Contains("424242", sandbox.Messages.GetLatestMessage("12125550100")!.Text);
    }

    [Theory]
    [InlineData("12125550126", "rejected", "21614")]
    [InlineData("12125550124", "retry_later", "nothing was sent")]
    [InlineData("12125550125", "unknown", "unclear")]
    public async Task A_refused_or_unclear_send_says_so_in_one_line_and_exits_2(string phone, string outcome, string words)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var text = await Otpgate.RunAsync(SmsEnvironment.For(sandbox), "send", "--channel", "sms", "--phone", phone);
        var json = await Otpgate.RunAsync(SmsEnvironment.For(sandbox), "send", "--channel", "sms", "--phone", phone, "--json");

        Assert.Equal(ExitCodes.Refused, text.ExitCode);
        Assert.Contains(words, Assert.Single(text.ErrorLines));
        Assert.DoesNotContain("   at ", text.Error);
        Assert.Equal(outcome, json.Json["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_SMS_that_is_not_delivered_while_waiting_exits_2_with_Twilio_s_error()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox), "send", "--channel", "sms", "--phone", "12125550122", "--wait", "--interval", "50ms");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("30006", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task With_no_settings_and_no_server_running_it_says_which_server_was_tried()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var nowhere = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();

        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = nowhere }, "send", "--channel", "sms", "--phone", "+1 212 555 0100");

        Assert.Equal(ExitCodes.Unexpected, result.ExitCode);
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"Error: No OtpGate server answers at {nowhere}", error);
        Assert.Contains("otpgate serve", error);
    }

    [Fact]
    public async Task Without_an_SMS_channel_it_is_a_usage_error_naming_the_keys()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--channel", "sms", "--phone", "12125550100");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Sms:Twilio:AccountSid", Assert.Single(result.ErrorLines));
        Assert.Empty(sandbox.Messages.GetMessages("12125550100"));
    }

    [Fact]
    public async Task A_wrong_SMS_setting_is_a_usage_error_with_the_server_s_sentence()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(SmsEnvironment.For(sandbox, ("Sms__Twilio__From", "15005550006")), "send", "--channel", "sms", "--phone", "12125550100");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Sms:Twilio:From", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Channel_whatsapp_still_sends_the_template_and_sets_no_channel_id()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);

        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root }, "send", "--channel", "whatsapp", "--phone", "+1 212 555 0100", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("wamid.", result.Json["messageId"]!.GetValue<string>());
    }
}

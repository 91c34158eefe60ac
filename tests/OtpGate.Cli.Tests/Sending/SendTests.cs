using System.Text.RegularExpressions;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Sending;

public sealed class SendTests
{
    [Fact]
    public async Task Send_prints_the_message_id_and_the_generated_code_that_went_out_in_body_and_button()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "+1 (212) 555-0100");

        Assert.True(result.ExitCode == 0, result.ToString());
        var message = sandbox.Messages.GetLatestMessage("12125550100");
        Assert.NotNull(message);
        Assert.Contains($"message id  {message.Id}", result.Out);
        var code = Regex.Match(result.Out, @"code\s+(\d+)").Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(code, message.BodyCode);
        Assert.Equal(code, message.ButtonCode);
        Assert.Equal(TimeSpan.FromSeconds(600), message.Ttl);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Send_with_a_given_code_and_json_prints_the_documented_shape_without_the_code()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550100", "--code", "424242", "--ttl", "120", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.Equal("accepted", json["outcome"]!.GetValue<string>());
        Assert.True(json["sent"]!.GetValue<bool>());
        Assert.StartsWith("wamid.", json["messageId"]!.GetValue<string>());
        Assert.Equal("+12125550100", json["phone"]!.GetValue<string>());
        Assert.Equal("registration_otp", json["template"]!["name"]!.GetValue<string>());
        Assert.Equal("otpgate_sandbox", json["template"]!["namespace"]!.GetValue<string>());
        Assert.Equal(120, json["ttlSeconds"]!.GetValue<int>());
        Assert.Null(json["code"]);
        Assert.Equal("424242", sandbox.Messages.GetLatestMessage("12125550100")!.ButtonCode);
    }

    [Fact]
    public async Task Send_answered_with_500_says_the_outcome_is_unclear_and_exits_2()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550105");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        var error = Assert.Single(result.ErrorLines);
        Assert.Contains("HTTP 500", error);
        Assert.Contains("may or may not have been sent", error);
        Assert.Contains("unclear", error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550105"));
    }

    [Fact]
    public async Task Send_to_a_recipient_without_opt_in_is_rejected_in_plain_words_and_exits_2()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var text = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550107");
        var json = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550107", "--json");

        Assert.Equal(ExitCodes.Refused, text.ExitCode);
        Assert.Equal("", text.Out);
        var error = Assert.Single(text.ErrorLines);
        Assert.Contains("sent: false", error);
        Assert.Contains("has not agreed to receive WhatsApp messages", error);
        Assert.Equal(ExitCodes.Refused, json.ExitCode);
        Assert.Equal("rejected", json.Json["outcome"]!.GetValue<string>());
        Assert.False(json.Json["sent"]!.GetValue<bool>());
        Assert.Contains("opted in", json.Json["message"]!.GetValue<string>());
        Assert.Contains("\"sent\":false", json.Json["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_with_a_wrong_token_says_which_key_to_fix_and_never_prints_the_token()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);
        environment["OneMsg__Token"] = "wrong-token-7i1crxjxpk";

        var result = await Otpgate.RunAsync(environment, "send", "--phone", "12125550100", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("OneMsg:Token", Assert.Single(result.ErrorLines));
        Assert.Equal("unauthorized", result.Json["failureKind"]!.GetValue<string>());
        Assert.DoesNotContain("7i1crxjxpk", result.Out + result.Error);
    }

    [Fact]
    public async Task Send_wait_follows_delivery_through_hookInfo_until_delivered()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550100", "--wait", "--interval", "50ms", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var delivery = result.Json["delivery"]!;
        Assert.Contains(delivery["status"]!.GetValue<string>(), (string[])["delivered", "read"]);
        Assert.True(delivery["succeeded"]!.GetValue<bool>());
        Assert.Contains("sent", delivery["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()));
        // Progress is on standard error, one plain line per status (not a terminal).
        Assert.Contains("Waiting for delivery", result.Error);
        Assert.Matches(@"(?m)^\s+delivered\s+after", result.Error);
        Assert.DoesNotContain("\u001b[", result.Error);
    }

    [Fact]
    public async Task Send_wait_reports_a_failed_delivery_with_the_reason_and_exits_2()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550101", "--wait", "--interval", "50ms");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("delivery    failed", result.Out);
        var error = Assert.Single(result.ErrorLines);
        Assert.Contains("could not deliver", error);
        Assert.Contains("131026", error);
        // Meta's title is not repeated in front of details that begin with it.
        Assert.Contains("deliver the message: Message Undeliverable: the recipient phone number is not a WhatsApp phone number (error 131026)", error);
        Assert.DoesNotContain("Message undeliverable: Message Undeliverable", result.Out + result.Error);
    }

    [Fact]
    public async Task Send_wait_gives_up_after_the_timeout_when_the_message_is_never_delivered()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550102", "--wait", "--timeout", "700ms", "--interval", "100ms", "--json");

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.True(result.Json["delivery"]!["timedOut"]!.GetValue<bool>());
        Assert.Equal("sent", result.Json["delivery"]!["status"]!.GetValue<string>());
        Assert.Contains("not confirmed within", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Send_wait_on_a_terminal_draws_a_live_status_line_and_clears_it()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => (o.SentAfter, o.DeliveredAfter, o.ReadAfter) = (TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(500)));

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), terminal: true, "send", "--phone", "12125550109", "--wait", "--interval", "50ms");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\r\u001b[2K", result.Error);
        Assert.Contains("waiting for delivery: accepted", result.Error);
        Assert.EndsWith("\r\u001b[2K", result.Error);
        Assert.Contains("\u001b[32mdelivered\u001b[0m", result.Out);
    }

    [Theory]
    [InlineData("--phone", "+1 212 555")]
    [InlineData("--phone", "not a number")]
    public async Task Send_to_an_invalid_number_is_a_usage_error_and_sends_nothing(string option, string value)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Empty(sandbox.Messages.GetConversations());
    }

    [Fact]
    public async Task Send_of_a_code_longer_than_whatsapp_allows_is_a_usage_error()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "send", "--phone", "12125550100", "--code", "1234567890123456");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("at most 15", Assert.Single(result.ErrorLines));
        Assert.Equal(0, sandbox.Messages.GetRequestCount("12125550100"));
    }

    [Fact]
    public async Task Send_for_a_locale_uses_that_locale_s_template()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Templates.Add(new() { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "pt_BR" }));
        var environment = TestSandbox.Environment(sandbox);
        environment["OneMsg__Templates__pt_BR__Name"] = "registration_otp";

        var result = await Otpgate.RunAsync(environment, "send", "--phone", "12125550100", "--locale", "pt-BR", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("pt_BR", result.Json["template"]!["language"]!.GetValue<string>());
        Assert.Equal("pt_BR", sandbox.Messages.GetLatestMessage("12125550100")!.TemplateLanguage);
    }
}

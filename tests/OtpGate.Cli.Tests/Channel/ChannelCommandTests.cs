using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Channel;

public sealed class ChannelCommandTests
{
    [Fact]
    public async Task HookInfo_shows_the_status_history_of_a_sent_message()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);
        var sent = await Otpgate.RunAsync(environment, "send", "--phone", "12125550100", "--json");
        var id = sent.Json["messageId"]!.GetValue<string>();
        await Wait.UntilAsync(() => sandbox.Messages.FindMessage(id)?.Status == "read");

        var json = await Otpgate.RunAsync(environment, "hook-info", id, "--json");
        var text = await Otpgate.RunAsync(environment, "hook-info", id);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(id, json.Json["messageId"]!.GetValue<string>());
        Assert.Equal(["sent", "delivered", "read"], json.Json["statuses"]!.AsArray().Select(s => s!["status"]!.GetValue<string>()));
        Assert.NotNull(json.Json["statuses"]![0]!["timestamp"]);
        Assert.Matches(@"(?m)^TIME \(UTC\)\s+STATUS\s+RECIPIENT", text.Out);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+delivered\s+12125550100", text.Out);
    }

    [Fact]
    public async Task HookInfo_for_an_unknown_message_says_there_is_no_status_yet()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "hook-info", "wamid.unknown");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no status for message wamid.unknown", result.Out);
    }

    [Fact]
    public async Task Webhook_add_and_remove_keep_the_other_urls()
    {
        const string TheirHook = "https://inbox.1msg.example/hook";
        const string Ours = "https://otp.example.com/webhooks/1msg/s3cr3t";
        await using var sandbox = await TestSandbox.StartAsync(o => o.WebhookUrls.Add(TheirHook));
        var environment = TestSandbox.Environment(sandbox);

        var added = await Otpgate.RunAsync(environment, "webhook", "add", Ours);
        var shown = await Otpgate.RunAsync(environment, "webhook", "show", "--json");
        var removed = await Otpgate.RunAsync(environment, "webhook", "remove", Ours, "--json");
        var again = await Otpgate.RunAsync(environment, "webhook", "remove", Ours);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"Added {Ours}.", added.Out);
        Assert.Equal([TheirHook, Ours], shown.Json["urls"]!.AsArray().Select(u => u!["url"]!.GetValue<string>()));
        Assert.Equal("enabled", shown.Json["urls"]![1]!["status"]!.GetValue<string>());
        Assert.Equal([TheirHook], removed.Json["urls"]!.AsArray().Select(u => u!["url"]!.GetValue<string>()));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("was not registered; nothing changed", again.Out);
    }

    [Fact]
    public async Task Webhook_add_beyond_five_urls_is_refused_and_an_invalid_url_is_a_usage_error()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            for (var i = 1; i <= 5; i++)
            {
                o.WebhookUrls.Add($"https://hooks.example/{i}");
            }
        });
        var environment = TestSandbox.Environment(sandbox);

        var sixth = await Otpgate.RunAsync(environment, "webhook", "add", "https://otp.example.com/webhooks/1msg/x");
        var invalid = await Otpgate.RunAsync(environment, "webhook", "add", "not-a-url");
        var missing = await Otpgate.RunAsync(environment, "webhook", "add");

        Assert.Equal(ExitCodes.Refused, sixth.ExitCode);
        Assert.Contains("the most 1MSG allows is 5", Assert.Single(sixth.ErrorLines));
        Assert.Equal(ExitCodes.Usage, invalid.ExitCode);
        Assert.Contains("not an absolute http or https URL", Assert.Single(invalid.ErrorLines));
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("otpgate webhook add --help", Assert.Single(missing.ErrorLines));
    }

    [Fact]
    public async Task Settings_set_changes_acknowledgements_and_show_reports_them()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);

        var off = await Otpgate.RunAsync(environment, "settings", "set", "ackNotificationsOn=false", "guaranteedHooks=false");
        var shownOff = await Otpgate.RunAsync(environment, "settings", "show", "--json");
        var on = await Otpgate.RunAsync(environment, "settings", "set", "acknotificationson=true", "--json");

        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.Matches(@"(?m)^ackNotificationsOn\s+false$", off.Out);
        Assert.Contains("ackNotificationsOn is off", off.Out);
        Assert.False(shownOff.Json["ackNotificationsOn"]!.GetValue<bool>());
        Assert.False(shownOff.Json["guaranteedHooks"]!.GetValue<bool>());
        Assert.True(on.Json["ackNotificationsOn"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("webhookUrl=https://x.example", "otpgate webhook add|remove")]
    [InlineData("ackNotificationsOn=yes", "must be true or false")]
    [InlineData("colour=blue", "not a setting")]
    public async Task Settings_set_refuses_what_it_cannot_change_as_a_usage_error(string pair, string expected)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var result = await Otpgate.RunAsync(TestSandbox.Environment(sandbox), "settings", "set", pair);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Status_reports_the_connected_channel()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);

        var text = await Otpgate.RunAsync(environment, "status");
        var json = await Otpgate.RunAsync(environment, "status", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Channel sandbox at http://127.0.0.1:", text.Out);
        Assert.Contains(": connected (account active).", text.Out);
        Assert.True(json.Json["ok"]!.GetValue<bool>());
        Assert.Equal("connected", json.Json["status"]!.GetValue<string>());
    }
}

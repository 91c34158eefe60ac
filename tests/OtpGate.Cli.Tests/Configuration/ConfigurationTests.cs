using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task Config_file_environment_and_options_layer_like_the_server_s_configuration()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var folder = new TempDirectory();
        var file = Path.Combine(folder.Path, "appsettings.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "OneMsg": {
                "BaseUrl": "{{sandbox.BaseUrl}}",
                "ChannelId": "wrong-channel",
                "Token": "file-token-is-overridden",
                "Template": { "Name": "registration_otp", "Namespace": "otpgate_sandbox", "Language": "en" }
              }
            }
            """, TestContext.Current.CancellationToken);
        // The token comes from the environment (it stays out of files and history); the channel from the command line.
        var environment = new Dictionary<string, string?> { ["OneMsg__Token"] = sandbox.Token };

        var result = await Otpgate.RunAsync(environment, "send", "--config", file, "--channel", sandbox.ChannelId, "--phone", "12125550100");
        var fileOnly = await Otpgate.RunAsync(new Dictionary<string, string?>(), "status", "--config", file, "--set", "OneMsg:ChannelId=" + sandbox.ChannelId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotNull(sandbox.Messages.GetLatestMessage("12125550100"));
        Assert.Equal(ExitCodes.Refused, fileOnly.ExitCode);
        Assert.DoesNotContain("file-token-is-overridden", fileOnly.Out + fileOnly.Error);
    }

    [Fact]
    public async Task A_missing_config_file_or_a_half_configured_channel_is_a_usage_error_in_one_sentence()
    {
        var missing = await Otpgate.RunAsync(new Dictionary<string, string?>(), "status", "--config", "/nonexistent/appsettings.json");
        // A token alone is a real channel begun: what is missing is named, the channel id first.
        var unconfigured = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OneMsg__Token"] = "t0k3n" }, "templates");
        var badUrl = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OneMsg__ChannelId"] = "1", ["OneMsg__Token"] = "t0k3n" }, "status", "--base-url", "ftp://x");

        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Equal("Error: The configuration file /nonexistent/appsettings.json does not exist.", missing.Error.Trim());
        Assert.Equal(ExitCodes.Usage, unconfigured.ExitCode);
        Assert.Contains("OneMsg:ChannelId is empty", Assert.Single(unconfigured.ErrorLines));
        Assert.DoesNotContain("OneMsg:Token is empty", unconfigured.Error);
        Assert.Equal(ExitCodes.Usage, badUrl.ExitCode);
        Assert.Contains("OneMsg:BaseUrl must be an absolute http or https URL", badUrl.Error);
    }

    [Theory]
    [InlineData(new[] { "send" }, "Option '--phone' is required")]
    [InlineData(new[] { "sned", "--phone", "1" }, "sned")]
    [InlineData(new[] { "send", "--phone", "12125550100", "--timeout", "soon" }, "soon is not a duration")]
    [InlineData(new string[0], "Required command was not provided")]
    public async Task A_wrong_command_line_exits_1_with_one_sentence_and_a_pointer_to_help(string[] args, string expected)
    {
        var result = await Otpgate.RunAsync(new Dictionary<string, string?>(), args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.Contains("--help' for usage.", line);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var result = await Otpgate.RunAsync(new Dictionary<string, string?>(), "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in (string[])["send", "templates", "hook-info", "webhook", "settings", "status", "doctor", "sandbox", "serve", "verify"])
        {
            Assert.Matches($@"(?m)^\s+{command}\b", result.Out);
        }
    }

    [Fact]
    public async Task A_network_failure_without_an_answer_exits_3_in_one_sentence()
    {
        var environment = new Dictionary<string, string?>
        {
            ["OneMsg__BaseUrl"] = "http://127.0.0.1:9",
            ["OneMsg__ChannelId"] = "sandbox",
            ["OneMsg__Token"] = "sandbox-token",
            ["OneMsg__MaxRetries"] = "0",
        };

        var result = await Otpgate.RunAsync(environment, "templates");

        Assert.Equal(ExitCodes.Unexpected, result.ExitCode);
        Assert.Contains("Could not complete GET templates with 1MSG at 127.0.0.1:9", Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("   at ", result.Error);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OtpGate.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>Start-up validation: a wrong setting stops the server with sentences that name the key and give an example.</summary>
public sealed class ConfigurationTests
{
    /// <summary>Starts the server with <paramref name="settings"/> and returns what it said when it refused to start.</summary>
    private static async Task<string> ProblemsAsync(Dictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "config-" + Guid.NewGuid().ToString("N"));
        settings.TryAdd("Storage:DataDirectory", dataDirectory);
        // The host logs the refusal at Error, which the server's quiet log defaults leave out (ServerHost says it in
        // sentences on standard error instead); this test reads it from the log.
        settings.TryAdd("Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host", "Error");
        var logs = new CapturedLogs();
        var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        await Assert.ThrowsAnyAsync<Exception>(() => Task.FromResult(factory.CreateClient()));
        try
        {
            await factory.DisposeAsync();
        }
        catch (Exception)
        {
            // A host that never started cannot stop cleanly either; the start error is what is under test.
        }

        var failure = logs.Entries.Where(e => e.Text.Contains("OptionsValidationException", StringComparison.Ordinal)).Select(e => e.Text).ToList();
        Assert.NotEmpty(failure);
        return string.Join("\n", failure);
    }

    [Fact]
    public async Task A_short_api_key_names_the_key_and_gives_an_example()
    {
        var problems = await ProblemsAsync(new() { ["Api:Keys:partner"] = "short" });

        Assert.Contains("Api:Keys:partner must be at least 16 characters", problems, StringComparison.Ordinal);
        Assert.Contains("openssl rand", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("\"short\"", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_channel_without_its_template_says_which_keys_are_missing()
    {
        var problems = await ProblemsAsync(new()
        {
            ["OneMsg:ChannelId"] = "359900",
            ["OneMsg:Token"] = "token-from-the-dashboard",
            ["OneMsg:RegisterWebhook"] = "true",
        });

        Assert.Contains("OneMsg:Template:Name is empty", problems, StringComparison.Ordinal);
        Assert.Contains("e.g. registration_otp", problems, StringComparison.Ordinal);
        Assert.Contains("OneMsg:Template:Namespace is empty", problems, StringComparison.Ordinal);
        Assert.Contains("OneMsg:RegisterWebhook is true but OneMsg:WebhookBaseUrl is empty", problems, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OneMsg:WebhookSecret", "too-short", "OneMsg:WebhookSecret must be at least 22")]
    [InlineData("OneMsg:WebhookBaseUrl", "otp.example.com", "OneMsg:WebhookBaseUrl is \"otp.example.com\"")]
    [InlineData("OneMsg:WebhookMaxBodyMegabytes", "0", "OneMsg:WebhookMaxBodyMegabytes is 0; it must be from 1 to 25")]
    [InlineData("Api:RateLimit:PerKeyPerMinute", "0", "Api:RateLimit:PerKeyPerMinute is 0")]
    [InlineData("Api:EventStreams:PerSession", "0", "Api:EventStreams:PerSession is 0; it must be between 1 and 100,000 open event streams, e.g. 4.")]
    [InlineData("Verification:CodeLength", "3", "Verification:CodeLength is 3")]
    [InlineData("Services:shop:CodeLength", "3", "Services:shop:CodeLength is 3; it must be between 4 and 10 digits")]
    [InlineData("Services:default:MaxAttempts", "11", "Services:default:MaxAttempts is 11; it must be between 1 and 10")]
    [InlineData("Services:Shop EU:CodeLength", "6", "Services:Shop EU is not a valid service name")]
    [InlineData("Api:ServiceKeys:shop-app:Service", "Shop EU", "Api:ServiceKeys:shop-app:Service must name a service")]
    [InlineData("Api:AdminKeys:ops", "short", "Api:AdminKeys:ops must be at least 16 characters")]
    [InlineData("SignUp:DefaultRegion", "XX", "SignUp:DefaultRegion must be a two-letter region code such as US, GB or BR (got 'XX')")]
    public async Task Each_wrong_setting_is_one_sentence_naming_its_key(string key, string value, string expected)
    {
        var problems = await ProblemsAsync(new() { [key] = value });

        Assert.Contains(expected, problems, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_address_configured_the_server_listens_on_5080()
    {
        var builder = WebApplication.CreateBuilder();
        ServerConfiguration.UseDefaultUrl(builder);

        Assert.Equal("http://localhost:5080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void Urls_on_the_command_line_win()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:6000"]);
        ServerConfiguration.UseDefaultUrl(builder);

        Assert.Equal("http://127.0.0.1:6000", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("http://localhost:5080", "http://localhost:5080/")]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://[::]:6000", "http://[::1]:6000/")]
    [InlineData("http://+:7000", "http://127.0.0.1:7000/")]
    public void The_sandbox_is_reached_on_the_address_actually_bound(string bound, string expected)
    {
        Assert.Equal(expected, ServerAddresses.ToLocal(bound).ToString());
    }
}

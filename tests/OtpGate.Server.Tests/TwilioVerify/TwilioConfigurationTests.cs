using System.Net;
using Microsoft.Extensions.Configuration;
using OtpGate.Server.Hosting;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary><c>Api:TwilioAccounts</c> checked at start-up with one sentence each; the HTTP rate limit answered in Twilio's shape.</summary>
public sealed class TwilioConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings)
    {
        settings["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "twilio-config-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = ServerOptions.BuildChecked(configuration, OneMsgMode.From(configuration));
        // Only this section's: the rest of a bare configuration (no 1MSG channel, which a started server fills in) is not under test.
        return [.. ServerOptions.Problems(services).Where(p => p.Contains("Api:TwilioAccounts", StringComparison.Ordinal))];
    }

    [Theory]
    [InlineData("AccountSid", "SK0123456789abcdef0123456789abcdef", "AccountSid must be \"AC\" and 32 hex digits")]
    [InlineData("AccountSid", "AC0123", "AccountSid must be \"AC\" and 32 hex digits")]
    [InlineData("AuthToken", "short", "AuthToken must be at least 16 characters")]
    [InlineData("Service", "Not A Service", "Service must name a service")]
    [InlineData("Admin", "true", "needs exactly one of Service")]
    public void A_wrong_declared_account_stops_the_start_with_one_sentence_naming_the_key(string key, string value, string sentence)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Api:TwilioAccounts:app:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Api:TwilioAccounts:app:AuthToken"] = "token-0123456789abcdef",
            ["Api:TwilioAccounts:app:Service"] = "default",
        };
        settings[$"Api:TwilioAccounts:app:{key}"] = value;

        var problem = Assert.Single(Problems(settings));

        Assert.Contains($"Api:TwilioAccounts:app", problem, StringComparison.Ordinal);
        Assert.Contains(sentence, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("short", problem.Replace("AuthToken must", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_declared_account_has_no_problem()
    {
        Assert.Empty(Problems(new()
        {
            ["Api:TwilioAccounts:app:AccountSid"] = "AC0123456789ABCDEF0123456789abcdef",
            ["Api:TwilioAccounts:app:AuthToken"] = "token-0123456789abcdef",
            ["Api:TwilioAccounts:app:Admin"] = "true",
        }));
    }

    [Fact]
    public async Task Past_the_http_rate_limit_v2_answers_twilios_20429_with_retry_after()
    {
        await using var server = new CustomServer(new()
        {
            ["Api:RateLimit:PerKeyPerMinute"] = "2",
            ["Api:TwilioAccounts:app:AccountSid"] = TwilioServer.ShopAccount,
            ["Api:TwilioAccounts:app:AuthToken"] = TwilioServer.ShopToken,
            ["Api:TwilioAccounts:app:Service"] = "default",
        });
        await server.InitializeAsync();
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TwilioServer.ShopAccount}:{TwilioServer.ShopToken}")));

        // Two requests a minute (the bucket gets one back every 30 seconds): the third, made at once, is refused.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/Services", Ct)).StatusCode);
        }

        var response = await client.GetAsync("/v2/Services", Ct);

        await TwilioServer.ErrorAsync(response, 20429, HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}

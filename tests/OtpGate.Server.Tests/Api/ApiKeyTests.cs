using System.Net;
using System.Net.Http.Json;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Api;

public sealed class ApiKeyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789abcdef")]
    [InlineData("test-api-key-0123456789abcdeX")]
    public async Task Without_the_right_key_the_api_answers_401_problem(string? key)
    {
        using var api = server.Api(key);
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", problem["code"]!.GetValue<string>());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_key_in_another_scheme_is_refused()
    {
        using var api = server.Api(null);
        api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic " + ServerFactory.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/v1/verifications/vf_x", Ct)).StatusCode);
    }

    [Fact]
    public async Task Pages_health_and_the_webhook_need_no_api_key()
    {
        using var anonymous = server.Api(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }

    [Fact]
    public async Task Configured_keys_are_never_written_to_the_data_directory()
    {
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "api-key.sha256")));
        foreach (var file in Directory.EnumerateFiles(server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(ServerFactory.ApiKey, await File.ReadAllTextAsync(file, Ct), StringComparison.Ordinal);
        }
    }
}

public sealed class DevelopmentKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_configured_keys_a_development_key_is_generated_printed_once_and_stored_hashed()
    {
        string key;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "devkey-" + Guid.NewGuid().ToString("N"));
        await using (var first = new CustomServer(null, dataDirectory: dataDirectory, withApiKey: false))
        {
            await first.InitializeAsync();
            var banner = first.Banner.ToString();
            key = System.Text.RegularExpressions.Regex.Match(banner, "otpg_dev_[A-Za-z0-9_-]+").Value;
            Assert.NotEmpty(key);
            Assert.True(key.Length >= 40);
            using var api = first.Api(key);
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/v1/verifications", new { phone = first.NextPhone() }, Ct)).StatusCode);
            var stored = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "api-key.sha256"), Ct);
            Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
            Assert.Equal(64, stored.Trim().Length);
            Assert.DoesNotContain(first.Logs.Entries, e => e.Text.Contains(key, StringComparison.Ordinal));
        }

        await using var second = new CustomServer(null, dataDirectory: dataDirectory, withApiKey: false);
        await second.InitializeAsync();
        var secondBanner = second.Banner.ToString();
        using var again = second.Api(key);

        Assert.DoesNotContain("otpg_dev_", secondBanner, StringComparison.Ordinal);
        Assert.Contains("delete that file and restart", secondBanner, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync("/v1/verifications/vf_x", Ct)).StatusCode);
    }
}

/// <summary>Per-key HTTP limits, and the per-IP start limit an integrator applies with the clientIp hint.</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_key_has_its_own_request_budget_and_429s_carry_retry_after()
    {
        await using var server = new CustomServer(new()
        {
            ["Api:Keys:alpha"] = "alpha-key-0123456789abcdef",
            ["Api:Keys:beta"] = "beta-key-0123456789abcdefg",
            ["Api:RateLimit:PerKeyPerMinute"] = "3",
        });
        await server.InitializeAsync();
        using var alpha = server.Api("alpha-key-0123456789abcdef");
        using var beta = server.Api("beta-key-0123456789abcdefg");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await alpha.GetAsync("/v1/verifications/vf_x", Ct)).StatusCode);
        }

        var limited = await alpha.GetAsync("/v1/verifications/vf_x", Ct);
        var other = await beta.GetAsync("/v1/verifications/vf_x", Ct);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("rate_limited", (await ServerFactory.ProblemAsync(limited))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task The_client_ip_hint_limits_starts_per_end_user_address()
    {
        await using var server = new CustomServer(new() { ["Verification:MaxStartsPerIpPer10Minutes"] = "2" });
        await server.InitializeAsync();
        using var api = server.Api();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), clientIp = "203.0.113.7" }, Ct)).StatusCode);
        }

        var limited = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), clientIp = "203.0.113.7" }, Ct);
        var otherUser = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), clientIp = "198.51.100.9" }, Ct);
        var problem = await ServerFactory.ProblemAsync(limited);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
        Assert.Equal("ip_starts_10m", problem["limit"]!.GetValue<string>());
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, otherUser.StatusCode);
    }
}

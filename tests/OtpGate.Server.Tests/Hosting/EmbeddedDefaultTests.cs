using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Messages;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>What the one-command start offers: banner, docs, OpenAPI, health, readiness, metrics, the sandbox inbox.</summary>
public sealed class EmbeddedDefaultTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_banner_says_where_everything_is()
    {
        var banner = server.Banner.ToString();
        var root = server.Root.ToString().TrimEnd('/');

        Assert.Contains($"Sign up:      {root}/", banner, StringComparison.Ordinal);
        Assert.Contains($"Phone inbox:  {root}/sandbox/inbox", banner, StringComparison.Ordinal);
        Assert.Contains($"API docs:     {root}/docs", banner, StringComparison.Ordinal);
        Assert.Contains("API keys:     configured in Api:Keys (tests): verifications of the default service", banner, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFactory.ApiKey, banner, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_default_registers_the_sandbox_and_its_workers()
    {
        Assert.NotNull(server.Services.GetService<SandboxMessages>());
        Assert.Contains(server.Services.GetServices<IHostedService>(), s => s.GetType().Assembly == typeof(SandboxOptions).Assembly);
    }

    [Fact]
    public async Task OpenApi_describes_every_endpoint_the_api_key_and_the_problem_codes()
    {
        using var client = server.CreateClient();
        var document = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json", Ct))!;
        var paths = document["paths"]!.AsObject();

        foreach (var path in new[] { "/v1/verifications", "/v1/verifications/{id}", "/v1/verifications/{id}/check", "/v1/verifications/{id}/resend",
                     "/v1/verifications/{id}/cancel", "/v1/verifications/{id}/events", "/webhooks/1msg/{secret}" })
        {
            Assert.True(paths.ContainsKey(path), path);
        }

        var text = document.ToJsonString();
        foreach (var code in new[] { "invalid_phone", "country_not_allowed", "rate_limited", "cooldown", "wrong_code", "expired", "max_attempts_reached",
                     "already_approved", "canceled", "not_found", "invalid_request", "failed", "unauthorized", "forbidden", "service_not_found" })
        {
            Assert.Contains(code, text, StringComparison.Ordinal);
        }

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        foreach (var kind in new[] { "`Api:Keys:<name>` keys start and read verifications in the default service", "`Api:ServiceKeys:<name>:Key` keys do the same in the service",
                     "`Api:AdminKeys:<name>` keys manage services (`/v1/services`) and start no verification" })
        {
            Assert.Contains(kind, scheme["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.NotNull(paths["/v1/verifications"]!["post"]!["requestBody"]);
        Assert.NotNull(paths["/v1/verifications/{id}/check"]!["post"]!["responses"]!["422"]);
        Assert.DoesNotContain("/sandbox", paths.Select(p => p.Key).FirstOrDefault(p => p.StartsWith("/sandbox", StringComparison.Ordinal)) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_docs_page_and_the_inbox_are_served()
    {
        using var client = server.CreateClient();
        var docs = await client.GetAsync("/docs/v1", Ct);
        var inbox = await client.GetAsync("/sandbox/inbox", Ct);

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("OtpGate API", await docs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.Contains("Copy code", await inbox.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_readiness_report_the_database_and_the_channel()
    {
        using var client = server.CreateClient();
        var health = await client.GetAsync("/healthz", Ct);
        var ready = (await client.GetFromJsonAsync<JsonObject>("/readyz", Ct))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal("connected", ready["checks"]!["1msg"]!["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metrics_export_the_engine_and_http_in_prometheus_format()
    {
        await server.StartAsync(server.NextPhone());
        using var client = server.CreateClient();

        var text = await client.GetStringAsync("/metrics", Ct);

        Assert.Contains("otpgate_verifications_started_total", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^otpgate_storage_commits_total(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^otpgate_storage_writes_total(\{[^}]*\})? [1-9]", text);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/verifications/\"", text, StringComparison.Ordinal);
    }
}

using System.Text;
using OtpGate.Verification.Events;
using OtpGate.Verification.Tests.Support;
using static OtpGate.Verification.Tests.Events.EventHarness;

namespace OtpGate.Verification.Tests.Events;

/// <summary>Endpoints: secrets encrypted at rest, the configured ones written at start, and the configuration's check.</summary>
public sealed class EndpointTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Fact]
    [Trait("Storage", "sqlite-only")] // reads the SQLite files byte by byte
    public async Task An_endpoints_secret_is_nowhere_in_the_database_files_in_clear()
    {
        await using var engine = await StartEngineAsync();
        Assert.Equal(EndpointOutcome.Done, (await engine.Endpoints().AddAsync("app", "https://app.example/hooks", null, null, Secret, None)).Outcome);
        var rotated = await engine.Endpoints().RotateSecretAsync("app", null, None);
        var files = Directory.GetFiles(engine.DataDirectory).Select(File.ReadAllBytes).ToList();

        foreach (var secret in new[] { Secret, rotated.Secret! })
        {
            var key = WebhookSecret.TryParseKey(secret)!;
            foreach (var needle in new[] { Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(secret["whsec_".Length..]), key })
            {
                Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(needle)));
            }
        }
    }

    [Fact]
    public async Task Configured_endpoints_are_written_at_start_only_when_they_differ_and_a_new_secret_is_a_rotation()
    {
        await using var engine = await StartEngineAsync();
        var declared = new Dictionary<string, EventEndpointOptions>
        {
            ["app"] = new() { Url = "https://app.example/hooks", Secret = Secret, Types = "verification.approved" },
        };

        Assert.Equal(1, await engine.Endpoints().SeedAsync(declared, None));
        Assert.Equal(0, await engine.Endpoints().SeedAsync(declared, None));
        declared["app"].Secret = WebhookSecret.Generate();
        declared["app"].Service = "shop";
        Assert.Equal(1, await engine.Endpoints().SeedAsync(declared, None));

        var app = Assert.Single(await engine.Endpoints().ListAsync(None));
        Assert.Equal(("https://app.example/hooks", "shop", "configuration"), (app.Url, app.Service, app.Source));
        Assert.Equal(["verification.approved"], app.Types);
        Assert.Equal((engine.Time.GetUtcNow() + TimeSpan.FromHours(24)).ToUnixTimeMilliseconds(), app.PreviousSecretUntil!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void The_configuration_check_says_each_problem_in_a_sentence()
    {
        var options = new EventOptions
        {
            Endpoints = new()
            {
                ["Bad Name"] = new() { Url = "https://x.example", Secret = Secret },
                ["nosecret"] = new() { Url = "https://x.example" },
                ["wrong"] = new() { Url = "mailto:x@example.com", Secret = "whsec_short", Types = "verification.started,verification.nope" },
            },
            Timeout = TimeSpan.FromSeconds(30),
            Lease = TimeSpan.FromSeconds(60),
            MaxConcurrencyPerEndpoint = 0,
        };

        var failures = new EventOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
        [
            "Events: The endpoint id \"Bad Name\" is not valid: lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64.",
            "Events:Endpoints:nosecret:Secret is required (\"whsec_\" and base64; `otpgate events endpoints add` makes one).",
            "Events: The endpoint wrong's URL must be an absolute http or https URL without credentials.",
            "Events: The endpoint wrong's event type \"verification.nope\" is unknown; the types are verification.started, verification.sent, verification.delivered, verification.read, verification.failed, verification.approved, verification.canceled, verification.expired, verification.max_attempts_reached.",
            "Events: The endpoint wrong's secret must be \"whsec_\" and the base64 of 24 to 64 bytes.",
            "Events:Lease must be at least 3 times Events:Timeout, so a delivery in flight is never taken over.",
            "Events:MaxConcurrencyPerEndpoint must be between 1 and 64.",
        ], failures);
        Assert.True(new EventOptionsValidator().Validate(null, new EventOptions()).Succeeded);
    }
}

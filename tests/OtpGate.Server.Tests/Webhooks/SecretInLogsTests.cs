using System.Net.Http.Json;
using System.Text;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>
/// At Trace level, ASP.NET Core's request logs, the HttpClient factory's logs and the sandbox's callback logs all write
/// the webhook URL. None of it may carry the path secret, in messages, structured values, scopes or exceptions.
/// </summary>
public sealed class SecretInLogsTests
{
    [Fact]
    public async Task The_webhook_secret_never_reaches_a_log_line_even_at_trace_level()
    {
        await using var server = new CustomServer(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            // A webhook that refuses callbacks makes the sandbox log the failing URL too.
            ["Sandbox:WebhookUrls:0"] = "http://127.0.0.1:9/webhooks/1msg/someone-elses-secret-0123456789",
        });
        await server.InitializeAsync();
        var secret = server.WebhookSecret;
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "read");
        using var client = server.CreateClient();
        await client.PostAsync($"/webhooks/1msg/{secret}", new StringContent("{\"ack\": [", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await client.PostAsync($"/webhooks/1msg/{secret[..^2]}xy", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var api = server.Api();
        await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = await server.ReadCodeAsync(phone) }, TestContext.Current.CancellationToken);

        var entries = server.Logs.Entries;
        Assert.Contains(entries, e => e.Text.Contains("/webhooks/1msg/***", StringComparison.Ordinal)); // the URLs were logged, redacted
        Assert.DoesNotContain(entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains(secret[..^2], StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains("someone-elses-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_and_engine_logs_mask_phone_numbers()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        var id = (await server.StartAsync("+1 212 555 0177"))["id"]!.GetValue<string>();
        await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "read");

        var ours = server.Logs.Entries.Where(e => e.Category.StartsWith("OtpGate.Server", StringComparison.Ordinal) || e.Category.StartsWith("OtpGate.Verification", StringComparison.Ordinal)).ToList();
        Assert.Contains(ours, e => e.Text.Contains("12*******77", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, e => e.Text.Contains("12125550177", StringComparison.Ordinal));
    }
}

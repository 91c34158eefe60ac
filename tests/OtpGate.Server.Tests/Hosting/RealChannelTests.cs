using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Messages;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>A server on a real 1MSG channel: no sandbox at all, and an unreachable 1MSG only degrades readiness.</summary>
public sealed class RealChannelTests
{
    [Fact]
    public async Task With_a_real_channel_configured_the_sandbox_is_not_mounted_and_an_unreachable_1msg_only_degrades_readiness()
    {
        await using var server = new CustomServer(new()
        {
            ["OneMsg:BaseUrl"] = "http://127.0.0.1:9",
            ["OneMsg:ChannelId"] = "359900",
            ["OneMsg:Token"] = "a-real-looking-token",
            ["OneMsg:AttemptTimeout"] = "00:00:01",
            ["OneMsg:MaxRetries"] = "0",
            ["OneMsg:Template:Name"] = "registration_otp",
            ["OneMsg:Template:Namespace"] = "abc_namespace",
            ["OneMsg:Template:Language"] = "en",
        });
        await server.InitializeAsync();
        using var client = server.CreateClient();

        var inbox = await client.GetAsync("/sandbox/inbox", TestContext.Current.CancellationToken);
        var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var report = (await ready.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.NotFound, inbox.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", report["status"]!.GetValue<string>());
        Assert.Equal("Healthy", report["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Contains("against 1MSG at http://127.0.0.1:9/ (channel 359900)", server.Banner.ToString(), StringComparison.Ordinal);

        // Not only unmapped: not registered, so neither its state nor its delivery worker and webhook client exist.
        var messages = await client.GetAsync("/sandbox/_sandbox/messages?phone=12125550100", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
        Assert.Null(server.Services.GetService<SandboxMessages>());
        Assert.DoesNotContain(server.Services.GetServices<IHostedService>(), s => s.GetType().Assembly == typeof(SandboxOptions).Assembly);
    }
}

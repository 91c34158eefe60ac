using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Webhooks;

public sealed class WebhookRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_start_our_url_is_added_to_the_sandbox_channel_keeping_the_others_with_statuses_on()
    {
        await using var server = new CustomServer(new()
        {
            ["Sandbox:WebhookUrls:0"] = "http://127.0.0.1:9/someone-elses-hook",
            ["Sandbox:AckNotificationsOn"] = "false",
        });
        await server.InitializeAsync();
        using var sandbox = server.CreateClient();
        sandbox.DefaultRequestHeaders.Authorization = new("Bearer", "sandbox-token");

        var webhook = await sandbox.GetFromJsonAsync<JsonObject>("/sandbox/sandbox/webhook", Ct);
        var settings = await sandbox.GetFromJsonAsync<JsonObject>("/sandbox/sandbox/settings", Ct);
        // Two URLs: an array, as 1MSG answers for several (one would be a string).
        var urls = webhook!["webhookUrl"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();

        Assert.Equal(2, urls.Count);
        Assert.Equal("http://127.0.0.1:9/someone-elses-hook", urls[0]);
        Assert.Equal($"{server.Root.ToString().TrimEnd('/')}/webhooks/1msg/{server.WebhookSecret}", urls[1]);
        Assert.True(settings!["ackNotificationsOn"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Registration_can_be_turned_off()
    {
        await using var server = new CustomServer(new() { ["OneMsg:RegisterWebhook"] = "false" });
        await server.InitializeAsync();
        using var sandbox = server.CreateClient();
        sandbox.DefaultRequestHeaders.Authorization = new("Bearer", "sandbox-token");

        var webhook = await sandbox.GetFromJsonAsync<JsonObject>("/sandbox/sandbox/webhook", Ct);

        Assert.Equal("", webhook!["webhookUrl"]!.GetValue<string>());
    }
}

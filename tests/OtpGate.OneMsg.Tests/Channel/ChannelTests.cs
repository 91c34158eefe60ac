using System.Text.Json;
using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Tests.Support;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.OneMsg.Tests.Channel;

public sealed class ChannelTests
{
    private const string Ours = "https://otpgate.example/webhooks/1msg/s3cret";
    private const string OneMsgInbox = "https://app.1msg.io/service/service_core/whatsapp/webhook/42";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"webhookUrl":"https://a.example/hook"}""", new[] { "https://a.example/hook" })]
    [InlineData("""{"webhookUrl":["https://a.example/hook","https://b.example/hook"]}""", new[] { "https://a.example/hook", "https://b.example/hook" })]
    [InlineData("""{"webhookUrl":"https://a.example/hook, https://b.example/hook"}""", new[] { "https://a.example/hook", "https://b.example/hook" })]
    [InlineData("""{"webhookUrl":""}""", new string[0])]
    [InlineData("""{"webhookUrl":null}""", new string[0])]
    [InlineData("""{}""", new string[0])]
    public async Task Webhook_urls_are_read_as_a_string_an_array_or_a_comma_list(string answer, string[] expected)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 200, answer);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        Assert.Equal(expected, await harness.Client.GetWebhookUrlsAsync(Ct));
    }

    [Fact]
    public async Task Webhook_statuses_are_exposed_when_1msg_sends_them()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 200, $$"""{"webhookUrl":["{{Ours}}","{{OneMsgInbox}}"],"webhookStatuses":{"{{Ours}}":"disabled","{{OneMsgInbox}}":{"status":"active"} } }""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var webhook = await harness.Client.GetWebhookAsync(Ct);

        Assert.Equal([Ours, OneMsgInbox], webhook.Urls);
        Assert.Equal([new WebhookUrlStatus(Ours, "disabled"), new WebhookUrlStatus(OneMsgInbox, "active")], webhook.Statuses);
        Assert.True(webhook.Statuses[0].IsDisabled);
        Assert.False(webhook.Statuses[1].IsDisabled);
    }

    [Fact]
    public async Task Webhook_statuses_are_read_from_a_list_of_url_objects()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 200, $$"""
            {"webhookUrl":["{{Ours}}","{{OneMsgInbox}}"],"webhookStatuses":[
              {"url":"{{Ours}}","enabled":false,"failures":5,"lastError":"HTTP 500"},
              {"url":"{{OneMsgInbox}}","status":"enabled","enabled":true,"failures":0,"lastError":null}]}
            """);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var statuses = (await harness.Client.GetWebhookAsync(Ct)).Statuses;

        Assert.Equal([new WebhookUrlStatus(Ours, "disabled") { LastError = "HTTP 500" }, new WebhookUrlStatus(OneMsgInbox, "enabled")], statuses);
        Assert.Equal([true, false], statuses.Select(s => s.IsDisabled));
    }

    [Fact]
    public async Task Setting_webhooks_posts_the_whole_list()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 200, """{"set":true,"message":"ok"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        await harness.Client.SetWebhookUrlsAsync([Ours, OneMsgInbox], Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal([Ours, OneMsgInbox], body.RootElement.GetProperty("webhookUrl").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task More_than_five_webhooks_or_a_relative_url_are_refused_before_any_request()
    {
        await using var server = await ScriptedServer.StartAsync();
        await using var harness = ClientHarness.Create(server.BaseUrl);
        var six = Enumerable.Range(1, 6).Select(i => $"https://h{i}.example/hook").ToArray();

        Assert.Contains("at most 5", (await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SetWebhookUrlsAsync(six, Ct))).Message);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SetWebhookUrlsAsync(["/hook"], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.AddWebhookUrlAsync("ftp://x.example/hook", Ct));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Adding_our_webhook_keeps_every_other_url()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("webhook", 200, $$"""{"webhookUrl":["{{OneMsgInbox}}"]}""");
        server.Enqueue("webhook", 200, """{"set":true}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var list = await harness.Client.AddWebhookUrlAsync(Ours, Ct);

        Assert.Equal([OneMsgInbox, Ours], list);
        using var posted = JsonDocument.Parse(server.Requests[1].Body);
        Assert.Equal([OneMsgInbox, Ours], posted.RootElement.GetProperty("webhookUrl").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Adding_a_sixth_webhook_is_refused_without_changing_anything()
    {
        await using var server = await ScriptedServer.StartAsync();
        var five = string.Join(",", Enumerable.Range(1, 5).Select(i => $"\"https://h{i}.example/hook\""));
        server.Always("webhook", r => r.Method == "GET" ? Scripted.Json(200, $$"""{"webhookUrl":[{{five}}]}""") : Scripted.Json(200, """{"set":true}"""));
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Client.AddWebhookUrlAsync(Ours, Ct));

        Assert.Contains("5", error.Message);
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Removing_our_webhook_keeps_the_others()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("webhook", 200, $$"""{"webhookUrl":"{{OneMsgInbox}},{{Ours}}"}""");
        server.Enqueue("webhook", 200, """{"set":true}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var list = await harness.Client.RemoveWebhookUrlAsync(Ours, Ct);

        Assert.Equal([OneMsgInbox], list);
        using var posted = JsonDocument.Parse(server.Requests[1].Body);
        Assert.Equal([OneMsgInbox], posted.RootElement.GetProperty("webhookUrl").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Set_false_is_reported_as_an_exception()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("webhook", 200, """{"set":false,"message":"Webhook url is not reachable"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.SetWebhookUrlsAsync([Ours], Ct));

        Assert.Contains("not reachable", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Settings_are_read_tolerantly()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("settings", 200, $$"""{"webhookUrl":"{{Ours}}","ackNotificationsOn":true,"rawHooks":0,"guaranteedHooks":"true"}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var settings = await harness.Client.GetSettingsAsync(Ct);

        Assert.Equal((true, false, true), (settings.AckNotificationsOn, settings.RawHooks, settings.GuaranteedHooks));
        Assert.Equal([Ours], settings.WebhookUrls);
    }

    [Fact]
    public async Task Settings_update_sends_only_the_fields_that_are_set()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("settings", 200, """{"update":true}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        await harness.Client.UpdateSettingsAsync(new ChannelSettingsUpdate { AckNotificationsOn = true }, Ct);
        await harness.Client.UpdateSettingsAsync(new ChannelSettingsUpdate { WebhookUrls = [], RawHooks = false }, Ct);

        Assert.Equal("""{"ackNotificationsOn":true}""", server.Requests[0].Body);
        Assert.Equal("""{"webhookUrl":"","rawHooks":false}""", server.Requests[1].Body);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.UpdateSettingsAsync(new ChannelSettingsUpdate(), Ct));
    }

    [Theory]
    [InlineData("""{"status":"connected","accountStatus":"active"}""", "connected", true)]
    [InlineData("""{"status":"Connecting"}""", "connecting", true)]
    [InlineData("""{"status":"disconnected"}""", "disconnected", false)]
    [InlineData("""{}""", "unknown", false)]
    public async Task Channel_status_is_ok_only_when_connected_or_connecting(string answer, string status, bool ok)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("status", 200, answer);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var result = await harness.Client.GetStatusAsync(Ct);

        Assert.Equal((status, ok), (result.Status, result.IsOk));
    }

    [Fact]
    public async Task Hook_info_maps_meta_status_objects()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("hookInfo", 200, """
            { "hooks": [
              { "id": "wamid.A==", "type": "message", "status": "sent", "timestamp": "1654864094", "recipient_id": "556123122026",
                "pricing": { "billable": true, "category": "authentication", "pricing_model": "PMP" } },
              { "id": "wamid.A==", "status": "failed", "timestamp": 1750857384, "recipient_id": "556123122026",
                "errors": [ { "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                              "error_data": { "details": "Receiver is incapable of receiving this message" } } ] }
            ] }
            """);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var events = await harness.Client.GetHookInfoAsync("wamid.A==", Ct);

        Assert.Equal("?messageId=wamid.A%3D%3D", Assert.Single(server.Requests).Query);
        Assert.Equal(
            [
                new StatusEvent("wamid.A==", DeliveryStatus.Sent, "sent", DateTimeOffset.FromUnixTimeSeconds(1654864094), "556123122026", null, null),
                new StatusEvent("wamid.A==", DeliveryStatus.Failed, "failed", DateTimeOffset.FromUnixTimeSeconds(1750857384), "556123122026",
                    "Message undeliverable: Receiver is incapable of receiving this message", 131026),
            ],
            events);
    }

    [Theory]
    [InlineData("""{"hooks":[]}""")]
    [InlineData("""{}""")]
    public async Task Hook_info_with_no_hooks_is_an_empty_list(string answer)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("hookInfo", 200, answer);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        Assert.Empty(await harness.Client.GetHookInfoAsync("wamid.X", Ct));
    }

    [Fact]
    public async Task Refused_call_throws_one_exception_type_with_status_and_body()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("status", 401, $$"""{"error":"Wrong token \"{{ClientHarness.Token}}\" for channel \"359900\". Please provide token as a GET parameter."}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetStatusAsync(Ct));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Equal("GET status", error.Operation);
        Assert.Contains("Wrong token", error.ResponseBody);
        Assert.Contains("OneMsg:Token", error.Message);
        Assert.DoesNotContain(ClientHarness.Token, error.ToString());
        Assert.DoesNotContain(ClientHarness.Token, error.ResponseBody);
    }

    [Fact]
    public async Task Unreachable_1msg_throws_a_transient_exception()
    {
        await using var harness = ClientHarness.Create(ScriptedServer.ClosedPortUrl(), o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetTemplatesAsync(Ct));

        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(2, harness.Attempts.Count);
    }
}

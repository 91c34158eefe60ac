using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Webhooks;

/// <summary>Status callbacks to a real loopback receiver, on the real clock with millisecond timings.</summary>
public sealed class WebhookCallbackTests
{
    private static Task<ApiAnswer> SetWebhooksAsync(TestSandbox sandbox, params string[] urls) =>
        sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]) }.ToJsonString());

    private static async Task<JsonNode> WebhookStatusAsync(TestSandbox sandbox, int index = 0) =>
        (await sandbox.Api.GetAsync("webhook")).Json["webhookStatuses"]![index]!;

    [Fact]
    public async Task Statuses_are_pushed_as_normalised_acks_in_order()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));

        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550100"))).Json["id"]!.GetValue<string>();
        foreach (var (step, count) in new[] { (1, 1), (1, 2), (2, 3) })
        {
            sandbox.Time!.Advance(TimeSpan.FromSeconds(step));
            await Wait.UntilAsync(() => receiver.At("hooks").Count == count);
        }

        var bodies = receiver.At("hooks").OrderBy(r => r.Arrival).Select(r => r.Body).ToList();
        Assert.Equal(["sent", "delivered", "read"], bodies.Select(b => Assert.Single(b["ack"]!.AsArray())!["status"]!.GetValue<string>()));
        Assert.Equal(
            $$"""{"instanceId":"sandbox","ack":[{"id":"{{id}}","chatId":"12125550100@c.us","phone":"12125550100","bsuid":"{{OtpGate.Sandbox.Messages.SandboxUsers.Bsuid("12125550100")}}","userName":"sandbox_user_0100","status":"sent","category":"authentication"}]}""",
            bodies[0].ToJsonString());
    }

    [Fact]
    public async Task Failed_ack_carries_the_error_text_and_the_configured_instance_id()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o => o.InstanceId = "VID182868781");
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => receiver.At("hooks").Count == 1);

        var body = receiver.At("hooks")[0].Body;
        Assert.Equal("VID182868781", body["instanceId"]!.GetValue<string>());
        Assert.Equal("failed", body["ack"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("Message undeliverable: the number is not a WhatsApp user", body["ack"]![0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Raw_hooks_push_meta_status_objects()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("raw"));
        await sandbox.Api.PostRawAsync("settings", """{"rawHooks":true}""");

        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550101"))).Json["id"]!.GetValue<string>();
        await Wait.UntilAsync(() => receiver.At("raw").Count == 1);

        var body = receiver.At("raw")[0].Body;
        Assert.Equal("whatsapp_business_account", body["object"]!.GetValue<string>());
        Assert.Equal("sandbox", body["instanceId"]!.GetValue<string>());
        var change = body["entry"]![0]!["changes"]![0]!;
        Assert.Equal("messages", change["field"]!.GetValue<string>());
        Assert.Equal("whatsapp", change["value"]!["messaging_product"]!.GetValue<string>());
        var status = change["value"]!["statuses"]![0]!;
        Assert.Equal(id, status["id"]!.GetValue<string>());
        Assert.Equal("failed", status["status"]!.GetValue<string>());
        Assert.Equal("12125550101", status["recipient_id"]!.GetValue<string>());
        Assert.True(long.TryParse(status["timestamp"]!.GetValue<string>(), out _));
        Assert.Equal("authentication", status["pricing"]!["category"]!.GetValue<string>());
        Assert.Equal(131026, status["errors"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_registered_url_gets_the_callbacks()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("a"), receiver.Url("b"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await Wait.UntilAsync(() => receiver.Events("a").Count == 2 && receiver.Events("b").Count == 2);
    }

    [Fact]
    public async Task No_callbacks_while_ack_notifications_are_off()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await SetWebhooksAsync(sandbox, receiver.Url("hooks"));
        await sandbox.Api.PostRawAsync("settings", """{"ackNotificationsOn":false}""");

        var silent = (await sandbox.Api.SendAsync(Requests.Otp("12125550100"))).Json["id"]!.GetValue<string>();
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "read", Wait.Timeout());
        await sandbox.Api.PostRawAsync("settings", """{"ackNotificationsOn":true}""");
        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await Wait.UntilAsync(() => receiver.Events("hooks").Count >= 2);

        Assert.DoesNotContain(receiver.Received, r => r.Body.ToJsonString().Contains(silent));
        Assert.Equal("read", sandbox.Messages.FindMessage(silent)!.Status);
    }

    [Fact]
    public async Task Failed_callback_is_retried_with_backoff_until_it_succeeds()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        receiver.Respond = (_, attempt) => attempt <= 2 ? 500 : 200;
        await SetWebhooksAsync(sandbox, receiver.Url("flaky"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => receiver.At("flaky").Count == 3);

        var attempts = receiver.At("flaky");
        Assert.Single(attempts.Select(a => a.Body.ToJsonString()).Distinct());
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(45), "first retry waits the first delay (50 ms)");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(95), "second retry waits the second delay (100 ms)");
        await Wait.UntilAsync(async () => (await WebhookStatusAsync(sandbox))["failures"]!.GetValue<int>() == 0);
        var status = await WebhookStatusAsync(sandbox);
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal("HTTP 500", status["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Url_failing_repeatedly_is_disabled_until_the_list_is_set_again()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o => o.WebhookDisableAfterFailures = 3);
        var broken = true;
        receiver.Respond = (_, _) => broken ? 503 : 200;
        await SetWebhooksAsync(sandbox, receiver.Url("down"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => receiver.At("down").Count == 3);
        await Task.Delay(800, TestContext.Current.CancellationToken); // longer than the remaining retry delays
        var disabled = await WebhookStatusAsync(sandbox);
        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => sandbox.Messages.GetMessages("12125550101") is [{ Status: "failed" }, { Status: "failed" }]);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var whileDisabled = receiver.At("down").Count;

        broken = false;
        await SetWebhooksAsync(sandbox, receiver.Url("down"));
        var reEnabled = await WebhookStatusAsync(sandbox);
        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => receiver.At("down").Count == 4);

        Assert.Equal(3, whileDisabled);
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        Assert.Equal(3, disabled["failures"]!.GetValue<int>());
        Assert.Equal("HTTP 503", disabled["lastError"]!.GetValue<string>());
        Assert.True(reEnabled["enabled"]!.GetValue<bool>());
        Assert.Equal(0, reEnabled["failures"]!.GetValue<int>());
    }

    [Fact]
    public async Task Setting_webhookUrl_through_settings_also_re_enables()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookDisableAfterFailures = 1;
            o.WebhookRetryDelays = [];
        });
        receiver.Respond = (_, _) => 500;
        await SetWebhooksAsync(sandbox, receiver.Url("x"));
        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(async () => !(await WebhookStatusAsync(sandbox))["enabled"]!.GetValue<bool>());

        await sandbox.Api.PostRawAsync("settings", new JsonObject { ["webhookUrl"] = receiver.Url("x") }.ToJsonString());

        Assert.True((await WebhookStatusAsync(sandbox))["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refused_connection_counts_as_a_failure()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.WebhookRetryDelays = []);
        await SetWebhooksAsync(sandbox, CallbackReceiver.RefusingUrl());

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(async () => (await WebhookStatusAsync(sandbox))["failures"]!.GetValue<int>() == 1);

        Assert.Equal("Connection refused", (await WebhookStatusAsync(sandbox))["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Receiver_slower_than_the_timeout_counts_as_a_failure()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookTimeout = TimeSpan.FromMilliseconds(200);
            o.WebhookRetryDelays = [];
        });
        receiver.Respond = (_, _) => -2000;
        await SetWebhooksAsync(sandbox, receiver.Url("slow"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(async () => (await WebhookStatusAsync(sandbox))["failures"]!.GetValue<int>() == 1);

        Assert.Equal("No answer within 0.2 s", (await WebhookStatusAsync(sandbox))["lastError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_guaranteed_hooks_a_failed_callback_is_not_retried()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        receiver.Respond = (_, _) => 500;
        await SetWebhooksAsync(sandbox, receiver.Url("once"));
        await sandbox.Api.PostRawAsync("settings", """{"guaranteedHooks":false}""");

        await sandbox.Api.SendAsync(Requests.Otp("12125550101"));
        await Wait.UntilAsync(() => receiver.At("once").Count == 1);
        await Task.Delay(400, TestContext.Current.CancellationToken); // past the first two retry delays

        Assert.Single(receiver.At("once"));
    }

    [Fact]
    public async Task A_failing_url_does_not_stop_callbacks_to_a_healthy_one()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        receiver.Respond = (path, _) => path == "bad" ? 500 : 200;
        await SetWebhooksAsync(sandbox, receiver.Url("bad"), receiver.Url("good"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550100"));

        await Wait.UntilAsync(() => receiver.Events("good").Count == 3);
    }
}

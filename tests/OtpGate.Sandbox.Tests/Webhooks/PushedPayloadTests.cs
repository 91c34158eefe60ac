using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Webhooks;

/// <summary>What the sandbox pushes besides the bare status: the keys production acks carry, and <c>fromMe</c> echoes.</summary>
public sealed class PushedPayloadTests
{
    // Production payloads seen by a third-party 1MSG integration (webhooks captured from a live channel): the keys of
    // one delivery ack, and of one message notification (inbound messages and echoes of what the business sent).
    private static readonly string[] ProductionAckKeys = ["id", "bsuid", "phone", "chatId", "status", "category", "userName"];
    private static readonly string[] ProductionMessageKeys =
        ["id", "body", "self", "time", "type", "author", "chatId", "fromMe", "isForwarded", "chatName", "senderName", "quotedMsgId"];

    private static Task<ApiAnswer> SetWebhookAsync(TestSandbox sandbox, string url) =>
        sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = url }.ToJsonString());

    private static IEnumerable<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key);

    private static List<JsonNode> Echoes(CallbackReceiver receiver, string path) =>
        [.. receiver.At(path).OrderBy(r => r.Arrival).SelectMany(r => r.Body["messages"]?.AsArray() ?? []).Select(m => m!)];

    [Fact]
    public async Task Acks_carry_every_key_production_acks_carry()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await SetWebhookAsync(sandbox, receiver.Url("hooks"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 2);

        foreach (var ack in receiver.At("hooks").SelectMany(r => r.Body["ack"]!.AsArray()))
        {
            Assert.Equal(ProductionAckKeys.Order(), Keys(ack!).Order());
            Assert.Matches(@"^US\.[0-9]{16,19}$", ack!["bsuid"]!.GetValue<string>());
            Assert.Equal("sandbox_user_0109", ack["userName"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_bsuid_of_a_phone_is_the_same_for_every_message()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync();
        await SetWebhookAsync(sandbox, receiver.Url("hooks"));

        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await sandbox.Api.SendAsync(Requests.Otp("12125550109"));
        await sandbox.Api.SendAsync(Requests.Otp("447700900123"));
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 7);

        var acks = receiver.At("hooks").SelectMany(r => r.Body["ack"]!.AsArray()).ToList();
        var byPhone = acks.GroupBy(a => a!["phone"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Select(a => a!["bsuid"]!.GetValue<string>()).Distinct().ToList());
        Assert.Single(byPhone["12125550109"]);
        Assert.StartsWith("ZZ.", Assert.Single(byPhone["447700900123"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sent_template_is_echoed_as_a_from_me_message_before_its_first_status()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.MessageEchoes = true);
        await SetWebhookAsync(sandbox, receiver.Url("hooks"));

        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550100", "482913"))).Json["id"]!.GetValue<string>();
        await Wait.UntilAsync(() => receiver.At("hooks").Count == 1);
        sandbox.Time!.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => receiver.At("hooks").Count == 2);

        var bodies = receiver.At("hooks").OrderBy(r => r.Arrival).Select(r => r.Body).ToList();
        Assert.Equal(["instanceId", "messages"], Keys(bodies[0]));
        var echo = Assert.Single(bodies[0]["messages"]!.AsArray())!;
        Assert.Equal(ProductionMessageKeys.Order(), Keys(echo).Order());
        Assert.Equal(id, echo["id"]!.GetValue<string>());
        Assert.True(echo["fromMe"]!.GetValue<bool>());
        Assert.Equal(1, echo["self"]!.GetValue<int>());
        Assert.Equal("12125550100@c.us", echo["chatId"]!.GetValue<string>());
        Assert.Equal(TestSandbox.Start.ToUnixTimeSeconds(), echo["time"]!.GetValue<long>());
        Assert.StartsWith("482913 is your verification code.", echo["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sent", bodies[1]["ack"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Echoes_do_not_depend_on_ack_notifications()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartAsync(o => o.MessageEchoes = true);
        await SetWebhookAsync(sandbox, receiver.Url("hooks"));
        await sandbox.Api.PostRawAsync("settings", """{"ackNotificationsOn":false}""");

        var id = (await sandbox.Api.SendAsync(Requests.Otp("12125550100"))).Json["id"]!.GetValue<string>();
        await sandbox.Messages.WaitForMessageAsync("12125550100", m => m.Status == "read", Wait.Timeout());
        await Wait.UntilAsync(() => Echoes(receiver, "hooks").Count == 1);

        Assert.Equal(id, Echoes(receiver, "hooks")[0]["id"]!.GetValue<string>());
        Assert.DoesNotContain(receiver.At("hooks"), r => r.Body["ack"] is not null);
    }

    [Fact]
    public async Task No_echoes_with_the_option_off_or_with_raw_hooks()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var quiet = await TestSandbox.StartAsync(o => o.MessageEchoes = false);
        await using var raw = await TestSandbox.StartAsync(o => o.MessageEchoes = true);
        await SetWebhookAsync(quiet, receiver.Url("quiet"));
        await SetWebhookAsync(raw, receiver.Url("raw"));
        await raw.Api.PostRawAsync("settings", """{"rawHooks":true}""");

        await quiet.Api.SendAsync(Requests.Otp("12125550109"));
        await raw.Api.SendAsync(Requests.Otp("12125550109"));
        await Wait.UntilAsync(() => receiver.Events("quiet").Count == 2 && receiver.Events("raw").Count == 2);

        Assert.Empty(Echoes(receiver, "quiet"));
        Assert.DoesNotContain(receiver.At("raw"), r => r.Body.ToJsonString().Contains("fromMe", StringComparison.Ordinal));
    }
}

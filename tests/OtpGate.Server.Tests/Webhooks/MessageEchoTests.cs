using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>
/// 1MSG echoes every message the business sends to the webhooks as a <c>fromMe</c> message. An echo is not customer
/// input and says nothing about delivery: the receiver acknowledges it (or 1MSG retries it and may disable the webhook)
/// and changes nothing.
/// </summary>
public sealed class MessageEchoTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string NeverDelivered = "+1 212 555 0102";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Shaped like the message notifications a third-party 1MSG integration captured in production: the keys of one
    // element of messages[], for a message the business itself sent (fromMe true; self may be 1 or true).
    private static string Echo(string messageId, string code) => $$"""
        {"instanceId":"sandbox","messages":[{"id":"{{messageId}}","body":"{{code}} is your verification code.","self":1,
         "time":1764158400,"type":"chat","author":"sandbox@c.us","chatId":"12125550102@c.us","fromMe":true,"isForwarded":false,
         "chatName":"sandbox_user_0102","senderName":"sandbox","quotedMsgId":null,"caption":null,"authorBsuid":"US.1726691741709890",
         "authorUserName":null}]}
        """;

    private static JsonObject What(JsonObject verification) => new JsonObject
    {
        ["status"] = verification["status"]!.DeepClone(),
        ["deliveryStatus"] = verification["deliveryStatus"]!.DeepClone(),
        ["attemptsLeft"] = verification["attemptsLeft"]!.DeepClone(),
        ["sends"] = verification["sends"]!.DeepClone(),
        ["timeline"] = verification["timeline"]!.DeepClone(),
    };

    [Fact]
    public async Task An_echo_of_the_code_message_is_acknowledged_and_changes_nothing()
    {
        var started = await server.StartAsync(NeverDelivered);
        var id = started["id"]!.GetValue<string>();
        var sent = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "sent");
        var messageId = sent["sends"]![0]!["messageId"]!.GetValue<string>();
        var code = await server.ReadCodeAsync(NeverDelivered);

        using var client = server.CreateClient();
        var response = await client.PostAsync($"/webhooks/1msg/{server.WebhookSecret}", new StringContent(Echo(messageId, code), Encoding.UTF8, "application/json"), Ct);
        var after = await server.GetAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal(0, receipt["statuses"]!.GetValue<int>());
        Assert.Equal(0, receipt["new"]!.GetValue<int>());
        Assert.Equal(What(sent).ToJsonString(), What(after).ToJsonString());
        Assert.Equal("pending", ServerFactory.Status(after));
    }

    [Fact]
    public async Task The_embedded_sandbox_s_own_echoes_are_answered_2xx()
    {
        static bool NoStatus(CapturedLogs.Entry e) => e.Text.StartsWith("Webhook received: 0 statuses", StringComparison.Ordinal);
        var before = server.Logs.Entries.Where(NoStatus).ToList();
        var phone = server.NextPhone();
        var started = await server.StartAsync(phone);
        await server.WaitForAsync(started["id"]!.GetValue<string>(), v => ServerFactory.Delivery(v) == "read");

        // The sandbox pushes each message's echo before its first status, to the server's webhook; a refused callback
        // would show as a failure on the sandbox's webhook list.
        using var client = server.CreateClient();
        var webhook = (await client.GetFromJsonAsync<JsonObject>("/sandbox/sandbox/webhook?token=sandbox-token", Ct))!;
        var status = webhook["webhookStatuses"]![0]!;
        Assert.Equal(0, status["failures"]!.GetValue<int>());
        Assert.Null(status["lastError"]);
        // Tests of one class run one at a time, so a new body without statuses is this send's echo.
        await server.Logs.WaitForAsync(e => NoStatus(e) && !before.Any(b => ReferenceEquals(b, e)), "the echo reaching the receiver");
    }
}

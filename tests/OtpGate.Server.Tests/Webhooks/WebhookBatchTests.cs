using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>
/// 1MSG documents no batch size for its callbacks: a body of 400 acks in the shape production sends (about 89 KB,
/// past the 64 KiB the receiver used to take) is taken whole and every ack in it applied. The verifications use
/// 12125550102, which the sandbox only ever marks "sent", one per purpose so that they are all pending at once.
/// </summary>
public sealed class WebhookBatchTests(WebhookBatchTests.Fixture server) : IClassFixture<WebhookBatchTests.Fixture>
{
    private const string NeverDelivered = "+1 212 555 0102";
    private const int Messages = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Raised per-phone limits for the one number; no SMS fallback, whose deadline a slow batch could pass.</summary>
    public sealed class Fixture() : ServerFactory(new()
    {
        ["Verification:Sms:Fallback"] = "false",
        ["Verification:MaxSendsPerPhonePer10Minutes"] = "1000",
        ["Verification:MaxSendsPerPhonePerDay"] = "1000",
    });

    // As 1MSG sends them in production: id, bsuid, phone, chatId, status, category, userName.
    private static JsonObject ProductionAck(string messageId, string status) => new()
    {
        ["id"] = messageId,
        ["bsuid"] = "US.1726691741709890",
        ["phone"] = "12125550102",
        ["chatId"] = "12125550102@c.us",
        ["status"] = status,
        ["category"] = "authentication",
        ["userName"] = "Jane Example",
    };

    [Fact]
    public async Task Four_hundred_production_shaped_acks_in_one_body_are_all_applied()
    {
        using var api = server.Api();
        var sent = new List<(string Id, string MessageId)>();
        for (var i = 0; i < Messages; i++)
        {
            var started = await api.PostAsJsonAsync("/v1/verifications", new { phone = NeverDelivered, purpose = $"batch-{i}" }, Ct);
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var id = (await started.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>();
            var verification = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "sent", seconds: 60);
            sent.Add((id, verification["sends"]![0]!["messageId"]!.GetValue<string>()));
        }

        // Per message: a repeated "sent", delivered, read, and delivered again (1MSG repeats itself): 400 acks, 200 of them news.
        var acks = new JsonArray([.. sent.SelectMany(s => new[] { "sent", "delivered", "read", "delivered" }.Select(status => ProductionAck(s.MessageId, status)))]);
        var body = new JsonObject { ["instanceId"] = "VID182868781", ["ack"] = acks }.ToJsonString();
        using var client = server.CreateClient();
        var response = await client.PostAsync($"/webhooks/1msg/{server.WebhookSecret}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;

        Assert.True(Encoding.UTF8.GetByteCount(body) > 64 * 1024, $"{Encoding.UTF8.GetByteCount(body)} bytes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((400, 2 * Messages), (receipt["statuses"]!.GetValue<int>(), receipt["new"]!.GetValue<int>()));
        foreach (var (id, _) in sent)
        {
            var verification = await server.GetAsync(id);
            Assert.Equal("read", ServerFactory.Delivery(verification));
            Assert.Equal(["sent", "delivered", "read"],
                verification["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "delivery").Select(e => e!["status"]!.GetValue<string>()));
        }
    }
}

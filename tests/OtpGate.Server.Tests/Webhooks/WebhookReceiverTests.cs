using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Webhooks;

/// <summary>
/// POST /webhooks/1msg/{secret} as 1MSG calls it. The verifications use 12125550102, which the sandbox only ever marks
/// "sent", so every later status here comes from the test's own callbacks.
/// </summary>
public sealed class WebhookReceiverTests(WebhookReceiverTests.Fixture server) : IClassFixture<WebhookReceiverTests.Fixture>
{
    private const string NeverDelivered = "+1 212 555 0102";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Every test sends to the same scenario number, so its per-phone send limits are raised; the SMS fallback is off,
    /// so what a status does to the WhatsApp send and its verification is all there is to see.
    /// </summary>
    public sealed class Fixture() : ServerFactory(new()
    {
        ["Verification:Sms:Fallback"] = "false",
        ["Verification:MaxSendsPerPhonePer10Minutes"] = "100",
        ["Verification:MaxSendsPerPhonePerDay"] = "100",
    });

    private async Task<(string Id, string MessageId)> SentAsync()
    {
        var started = await server.StartAsync(NeverDelivered);
        var id = started["id"]!.GetValue<string>();
        (await server.Api().PostAsync($"/v1/verifications/{id}/cancel", null, Ct)).EnsureSuccessStatusCode();
        // A fresh verification each time (the cancel above ends the pending one), with its message accepted and "sent".
        var fresh = await server.StartAsync(NeverDelivered);
        var freshId = fresh["id"]!.GetValue<string>();
        var sent = await server.WaitForAsync(freshId, v => ServerFactory.Delivery(v) == "sent");
        return (freshId, sent["sends"]![0]!["messageId"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? secret = null, string contentType = "application/json")
    {
        using var client = server.CreateClient();
        return await client.PostAsync($"/webhooks/1msg/{secret ?? server.WebhookSecret}", new StringContent(body, Encoding.UTF8, contentType), Ct);
    }

    private static string Ack(string messageId, string status) =>
        $$"""{"instanceId":"sandbox","ack":[{"id":"{{messageId}}","chatId":"12125550102@c.us","status":"{{status}}"}]}""";

    [Fact]
    public async Task A_normalised_ack_is_stored_before_the_200()
    {
        var (id, messageId) = await SentAsync();

        var response = await PostAsync(Ack(messageId, "delivered"));
        var verification = await server.GetAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["new"]!.GetValue<int>());
        Assert.Equal("delivered", ServerFactory.Delivery(verification));
    }

    [Fact]
    public async Task A_raw_meta_status_payload_is_understood()
    {
        var (id, messageId) = await SentAsync();
        var body = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "statuses":[{"id":"{{{messageId}}}","status":"read","timestamp":"1764158400","recipient_id":"12125550102"}]}}]}]}
            """;

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);
        Assert.Equal("read", ServerFactory.Delivery(await server.GetAsync(id)));
    }

    [Fact]
    public async Task The_seeds_hooks_form_is_understood()
    {
        var (id, messageId) = await SentAsync();
        var body = $$"""{"hooks":[{"id":"{{messageId}}","status":"delivered","recipient_id":"12125550102"}]}""";

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);
        Assert.Equal("delivered", ServerFactory.Delivery(await server.GetAsync(id)));
    }

    [Fact]
    public async Task Duplicates_and_disorder_are_harmless()
    {
        var (id, messageId) = await SentAsync();

        var read = await PostAsync(Ack(messageId, "read"));
        var lateDelivered = await PostAsync(Ack(messageId, "delivered"));
        var duplicate = await PostAsync(Ack(messageId, "read"));
        var lateSent = await PostAsync(Ack(messageId, "sent"));
        var verification = await server.GetAsync(id);

        Assert.All([read, lateDelivered, duplicate, lateSent], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, (await duplicate.Content.ReadFromJsonAsync<JsonObject>(Ct))!["new"]!.GetValue<int>());
        Assert.Equal("read", ServerFactory.Delivery(verification));
        Assert.Single(verification["timeline"]!.AsArray(), e => e!["status"]?.GetValue<string>() == "read");
        Assert.Equal("pending", ServerFactory.Status(verification)); // a webhook never approves
    }

    [Fact]
    public async Task Sent_and_delivered_after_read_appear_in_the_timeline_and_the_send_stays_read()
    {
        var (id, messageId) = await SentAsync();

        await PostAsync(Ack(messageId, "read"));
        await PostAsync(Ack(messageId, "delivered"));
        var verification = await server.GetAsync(id);

        Assert.Equal("read", ServerFactory.Delivery(verification));
        Assert.Equal(["sent", "read", "delivered"], DeliveryStatuses(verification));
    }

    [Fact]
    public async Task Delivered_after_failed_brings_the_verification_back_and_its_code_approves()
    {
        var (id, messageId) = await SentAsync();
        var code = await server.ReadCodeAsync(NeverDelivered);
        var failedAck = $$"""{"instanceId":"sandbox","ack":[{"id":"{{messageId}}","chatId":"12125550102@c.us","status":"failed","error":"Message undeliverable"}]}""";

        await PostAsync(failedAck);
        var failed = await server.GetAsync(id);
        await PostAsync(Ack(messageId, "delivered"));
        var revived = await server.GetAsync(id);
        using var api = server.Api();
        var check = await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct);

        Assert.Equal("failed", ServerFactory.Status(failed));
        Assert.Equal("pending", ServerFactory.Status(revived));
        Assert.Equal(["sent", "failed", "delivered"], DeliveryStatuses(revived));
        Assert.Contains(revived["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "failed");
        Assert.Contains(revived["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "revived");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("approved", ServerFactory.Status(await server.GetAsync(id)));
    }

    private static string[] DeliveryStatuses(JsonObject verification) =>
        [.. verification["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "delivery").Select(e => e!["status"]!.GetValue<string>())];

    [Fact]
    public async Task A_wrong_secret_is_404_and_changes_nothing()
    {
        var (id, messageId) = await SentAsync();
        var secret = server.WebhookSecret;
        var nearMiss = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        var wrong = await PostAsync(Ack(messageId, "delivered"), nearMiss);
        var shorter = await PostAsync(Ack(messageId, "delivered"), secret[..10]);
        var verification = await server.GetAsync(id);

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shorter.StatusCode);
        Assert.Equal("sent", ServerFactory.Delivery(verification));
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413_whether_announced_or_chunked_and_says_the_cap()
    {
        var (id, messageId) = await SentAsync();
        var padding = new string(' ', 4_000_001);
        var body = Ack(messageId, "delivered").Replace("{\"instanceId\"", "{" + padding + "\"instanceId\"", StringComparison.Ordinal);
        using var client = server.CreateClient();

        var announced = await PostAsync(body);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/1msg/{server.WebhookSecret}")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content.Headers.ContentType = new("application/json");
        var streamed = await client.SendAsync(chunked, Ct);
        var problem = await ServerFactory.ProblemAsync(streamed);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal("payload_too_large", problem["code"]!.GetValue<string>());
        Assert.Contains("4 MB", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sent", ServerFactory.Delivery(await server.GetAsync(id)));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/octet-stream")]
    public async Task A_json_body_is_taken_whatever_its_content_type_says(string? contentType)
    {
        // 1MSG documents no content type for its callbacks: a 415 would drop every status in them.
        var (id, messageId) = await SentAsync();
        using var client = server.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Ack(messageId, "delivered")));
        if (contentType is not null)
        {
            content.Headers.ContentType = new(contentType);
        }

        var response = await client.PostAsync($"/webhooks/1msg/{server.WebhookSecret}", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("delivered", ServerFactory.Delivery(await server.GetAsync(id)));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem_whatever_its_content_type()
    {
        var form = await PostAsync("status=delivered", contentType: "application/x-www-form-urlencoded");
        var garbage = await PostAsync("{\"ack\": [");
        var notAnObject = await PostAsync("[1, 2]");
        var ackObject = await PostAsync("""{"instanceId":"sandbox","ack":{"id":"m1","status":"delivered"}}""");

        Assert.All([form, garbage, notAnObject, ackObject], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal("invalid_request", (await ServerFactory.ProblemAsync(garbage))["code"]!.GetValue<string>());
        Assert.Equal("`ack` must be an array, got an object.", (await ServerFactory.ProblemAsync(ackObject))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_kind_of_1msg_event_is_acknowledged_so_the_webhook_is_not_disabled()
    {
        // 1MSG sends every event to the same URLs; a 4xx would make it retry and eventually disable the webhook.
        var calls = await PostAsync("{\"instanceId\": \"sandbox\", \"type\": \"calls\", \"calls\": [{\"id\": \"c1\"}]}");

        Assert.Equal(HttpStatusCode.OK, calls.StatusCode);
        Assert.Equal(0, (await calls.Content.ReadFromJsonAsync<JsonObject>(Ct))!["statuses"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_status_for_a_message_not_recorded_yet_is_kept_and_answered_200()
    {
        var response = await PostAsync(Ack("wamid.not-sent-yet-" + server.NextPhone().Replace(" ", "", StringComparison.Ordinal), "delivered"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["new"]!.GetValue<int>());
    }

    [Fact]
    public void The_generated_secret_has_at_least_128_bits_and_lives_in_the_data_directory()
    {
        var secret = server.WebhookSecret;
        var file = Path.Combine(server.DataDirectory, "webhook-secret.key");

        Assert.True(secret.Length >= 22);
        Assert.Equal(secret, File.ReadAllText(file).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }
}

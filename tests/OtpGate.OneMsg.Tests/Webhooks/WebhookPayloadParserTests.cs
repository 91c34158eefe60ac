using System.Text;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.OneMsg.Tests.Webhooks;

public sealed class WebhookPayloadParserTests
{
    // Samples from reference/onemsg-api.md §4 and §7.
    public const string NormalisedAck = """
        { "instanceId": "VID182868781",
          "ack": [ { "id": "wamid.HBgM1", "status": "delivered",
                     "chatId": "573001112233@c.us", "phone": "573001112233",
                     "bsuid": "CO.1726691741709890", "category": "authentication", "userName": "Ana" } ] }
        """;

    public const string FailedAck = """
        { "instanceId": "VID182868781",
          "ack": [ { "id": "wamid.F1", "status": "failed",
                     "error": "User's number is part of an experiment",
                     "phone": "573001112233", "chatId": "573001112233@c.us", "bsuid": "CO.1" } ] }
        """;

    public const string RawMeta = """
        { "object": "whatsapp_business_account", "instanceId": "359900",
          "entry": [ { "id": "1", "changes": [ { "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "statuses": [
              { "id": "wamid.R1", "status": "failed", "timestamp": "1750857384", "recipient_id": "5511999998888",
                "pricing": { "billable": true, "pricing_model": "PMP", "category": "authentication" },
                "errors": [ { "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                              "error_data": { "details": "Receiver is incapable of receiving this message" },
                              "href": "/docs/whatsapp/cloud-api/support/error-codes/" } ] },
              { "id": "wamid.R2", "status": "read", "timestamp": 1750857390, "recipient_id": "5511999998888" }
            ],
            "messages": [ { "from": "5511999998888", "id": "wamid.IN1", "timestamp": "1750857400", "type": "text", "text": { "body": "hi" } } ]
          } } ] } ] }
        """;

    public const string Hooks = """
        { "hooks": [ {
          "id": "gBGGeSaGViBfAgnlzOSHEwK9O6F", "type": "message", "status": "sent", "timestamp": "1654864094",
          "recipient_id": "556123122026",
          "conversation": { "id": "c1f5", "origin": { "type": "business_initiated" }, "expiration_timestamp": 1654943940 },
          "pricing": { "billable": true, "category": "business_initiated", "pricing_model": "CBP" } } ] }
        """;

    public const string NormalisedMessages = """
        { "instanceId": "VID182868781",
          "messages": [
            { "id": "m1", "body": "482913", "fromMe": false, "self": 0, "time": 1750857400, "type": "chat", "chatId": "573001112233@c.us", "senderName": "Ana" },
            { "id": "m2", "body": "Your code", "fromMe": true, "self": 1, "type": "chat", "chatId": "573001112233@c.us" } ] }
        """;

    private static readonly string[] Samples = [NormalisedAck, FailedAck, RawMeta, Hooks, NormalisedMessages];

    public static readonly TheoryData<string> AllSamples = [.. Samples];

    private static WebhookParseResult Parse(string json) => WebhookPayloadParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Normalised_ack_gives_a_status_with_the_recipient()
    {
        var result = Parse(NormalisedAck);

        Assert.True(result.IsSuccess);
        Assert.Equal("VID182868781", result.InstanceId);
        Assert.Equal(new StatusEvent("wamid.HBgM1", DeliveryStatus.Delivered, "delivered", null, "573001112233", null, null) { RecipientUserId = "CO.1726691741709890" }, Assert.Single(result.Statuses));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public void Failed_ack_text_is_kept_and_its_code_recognised()
    {
        var status = Assert.Single(Parse(FailedAck).Statuses);

        Assert.Equal(DeliveryStatus.Failed, status.Status);
        Assert.Equal("User's number is part of an experiment", status.ErrorText);
        Assert.Equal(130472, status.ErrorCode);
    }

    [Theory]
    [InlineData("This message was not delivered to maintain healthy ecosystem engagement", 131049)]
    [InlineData("Message failed to send because more than 24 hours have passed", 131047)]
    [InlineData("Re-engagement message", 131047)]
    [InlineData("Message undeliverable", 131026)]
    [InlineData("The recipient is not a WhatsApp user", 131026)]
    [InlineData("Failed (131056)", 131056)]
    [InlineData("Message expired", null)]
    [InlineData("Sent to 12125550100@c.us", null)]
    public void Known_1msg_error_texts_map_to_meta_codes(string text, int? code)
    {
        var status = Assert.Single(Parse($$"""{"ack":[{"id":"w","status":"failed","error":"{{text}}"}]}""").Statuses);

        Assert.Equal(code, status.ErrorCode);
    }

    [Fact]
    public void Raw_meta_payload_gives_statuses_with_errors_and_messages_apart()
    {
        var result = Parse(RawMeta);

        Assert.True(result.IsSuccess);
        Assert.Equal("359900", result.InstanceId);
        Assert.Equal(
            [
                new StatusEvent("wamid.R1", DeliveryStatus.Failed, "failed", DateTimeOffset.FromUnixTimeSeconds(1750857384), "5511999998888",
                    "Message undeliverable: Receiver is incapable of receiving this message", 131026),
                new StatusEvent("wamid.R2", DeliveryStatus.Read, "read", DateTimeOffset.FromUnixTimeSeconds(1750857390), "5511999998888", null, null),
            ],
            result.Statuses);
        Assert.Equal(new InboundMessage("wamid.IN1", "5511999998888@c.us", "text", false, "hi"), Assert.Single(result.Messages));
    }

    [Fact]
    public void Seed_hooks_payload_is_read_as_meta_statuses()
    {
        var status = Assert.Single(Parse(Hooks).Statuses);

        Assert.Equal(new StatusEvent("gBGGeSaGViBfAgnlzOSHEwK9O6F", DeliveryStatus.Sent, "sent",
            DateTimeOffset.FromUnixTimeSeconds(1654864094), "556123122026", null, null), status);
    }

    [Fact]
    public void Messages_are_returned_as_messages_with_echoes_marked()
    {
        var result = Parse(NormalisedMessages);

        Assert.Empty(result.Statuses);
        Assert.Equal(
            [
                new InboundMessage("m1", "573001112233@c.us", "chat", false, "482913"),
                new InboundMessage("m2", "573001112233@c.us", "chat", true, "Your code"),
            ],
            result.Messages);
    }

    [Fact]
    public void Several_events_and_duplicates_are_kept_in_order()
    {
        var result = Parse("""
            { "ack": [
              { "id": "w1", "status": "read", "chatId": "12125550108@c.us" },
              { "id": "w1", "status": "delivered", "chatId": "12125550108@c.us" },
              { "id": "w1", "status": "delivered", "chatId": "12125550108@c.us" },
              { "id": "w2", "status": "sent", "chatId": "12125550108@c.us" } ] }
            """);

        Assert.Equal(["w1:read", "w1:delivered", "w1:delivered", "w2:sent"], result.Statuses.Select(s => $"{s.MessageId}:{s.RawStatus}"));
        Assert.All(result.Statuses, s => Assert.Equal("12125550108", s.Recipient));
    }

    [Theory]
    [InlineData("deleted", DeliveryStatus.Unknown)]
    [InlineData("warning", DeliveryStatus.Unknown)]
    [InlineData("UNDELIVERED", DeliveryStatus.Failed)]
    [InlineData("viewed", DeliveryStatus.Read)]
    [InlineData("played", DeliveryStatus.Read)]
    public void Status_words_are_mapped_and_unknown_words_kept(string word, DeliveryStatus expected)
    {
        var status = Assert.Single(Parse($$"""{"ack":[{"id":"w","status":"{{word}}"}]}""").Statuses);

        Assert.Equal(expected, status.Status);
        Assert.Equal(word, status.RawStatus);
    }

    [Fact]
    public void Elements_without_an_id_are_skipped_not_fatal()
    {
        var result = Parse("""{"ack":[{"status":"sent"},{"id":"w","status":"sent"},42,{"id":"x"}]}""");

        Assert.True(result.IsSuccess);
        Assert.Equal("w", Assert.Single(result.Statuses).MessageId);
        Assert.Equal(3, result.Skipped);
    }

    [Theory]
    [InlineData("""{"ack":[{"id":"w","status":"sent","timestamp":1750857384}]}""", 1750857384L)]
    [InlineData("""{"ack":[{"id":"w","status":"sent","timestamp":"1750857384"}]}""", 1750857384L)]
    [InlineData("""{"ack":[{"id":"w","status":"sent","timestamp":"soon"}]}""", null)]
    [InlineData("""{"ack":[{"id":"w","status":"sent","timestamp":99999999999999999}]}""", null)]
    public void Timestamps_are_unix_seconds_as_number_or_string(string json, long? seconds)
    {
        var status = Assert.Single(Parse(json).Statuses);

        Assert.Equal(seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null, status.Timestamp);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"ack\":[", "not valid JSON")]
    [InlineData("[]", "array")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    [InlineData("{}", "none of")]
    [InlineData("{\"instanceId\":\"1\",\"type\":\"calls\"}", "none of")]
    [InlineData("{\"ack\":\"delivered\"}", "`ack` must be an array, got a string")]
    [InlineData("{\"ack\":{\"id\":\"m1\",\"status\":\"sent\"}}", "`ack` must be an array, got an object")]
    [InlineData("{\"ack\":[]} {}", "not valid JSON")]
    public void Bodies_that_are_not_callbacks_give_an_error_sentence(string body, string expected)
    {
        var result = Parse(body);

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{\"instanceId\":\"1\",\"type\":\"calls\"}", true)]
    [InlineData("not json", false)]
    [InlineData("[]", false)]
    [InlineData("{\"ack\":\"delivered\"}", false)]
    public void Only_well_formed_objects_of_another_kind_are_other_events(string body, bool otherEvent)
    {
        Assert.Equal(otherEvent, Parse(body).IsOtherEvent);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_an_error()
    {
        byte[] body = [.. "{\"ack\":[{\"id\":\""u8, 0xC8, 0x22, .. "\",\"status\":\"sent\"}]}"u8];

        Assert.Contains("UTF-8", WebhookPayloadParser.Parse(body).Error);
    }

    [Fact]
    public void Empty_ack_list_is_a_success_with_no_events()
    {
        var result = Parse("""{"instanceId":42,"ack":[]}""");

        Assert.True(result.IsSuccess);
        Assert.Equal("42", result.InstanceId);
        Assert.Empty(result.Statuses);
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Every_truncation_of_a_sample_parses_without_throwing(string sample)
    {
        var bytes = Encoding.UTF8.GetBytes(sample);
        for (var length = 0; length <= bytes.Length; length++)
        {
            var result = WebhookPayloadParser.Parse(bytes.AsSpan(0, length));
            Assert.True(result.IsSuccess || result.Error is { Length: > 0 });
        }
    }

    [Fact]
    public void Random_bytes_and_mutated_samples_never_throw()
    {
        var random = new Random(20260824);
        var samples = Samples.Select(Encoding.UTF8.GetBytes).ToArray();
        var alphabet = "{}[]\":,0123456789.-eE truefalsnul\\u".Select(c => (byte)c).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            byte[] body;
            if (i % 3 == 0)
            {
                body = new byte[random.Next(0, 256)];
                random.NextBytes(body);
            }
            else
            {
                body = (byte[])samples[random.Next(samples.Length)].Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    body[random.Next(body.Length)] = i % 3 == 1 ? alphabet[random.Next(alphabet.Length)] : (byte)random.Next(256);
                }
            }

            var result = WebhookPayloadParser.Parse(body);
            Assert.True(result.IsSuccess || result.Error is { Length: > 0 });
        }
    }

    [Fact]
    public void Deeply_nested_bodies_are_an_error_not_a_crash()
    {
        var body = new string('[', 10_000) + new string(']', 10_000);

        Assert.False(Parse(body).IsSuccess);
        Assert.False(Parse("{\"ack\":" + body + "}").IsSuccess);
    }

    [Fact]
    public void An_ack_keeps_its_bsuid_as_the_recipient_user_id_even_without_a_phone()
    {
        var withPhone = Assert.Single(WebhookPayloadParser.Parse(NormalisedAck).Statuses);
        var bsuidOnly = Assert.Single(WebhookPayloadParser.Parse("""
            {"instanceId":"VID182868781","ack":[{"id":"wamid.B1","status":"delivered","chatId":"CO.1726691741709890@lid","bsuid":"CO.1726691741709890","userName":"ana.p"}]}
            """).Statuses);

        Assert.Equal(("573001112233", "CO.1726691741709890"), (withPhone.Recipient, withPhone.RecipientUserId));
        Assert.Equal(DeliveryStatus.Delivered, bsuidOnly.Status);
        Assert.Null(bsuidOnly.Recipient);
        Assert.Equal("CO.1726691741709890", bsuidOnly.RecipientUserId);
        Assert.DoesNotContain("ana.p", bsuidOnly.ToString(), StringComparison.Ordinal);
    }
}

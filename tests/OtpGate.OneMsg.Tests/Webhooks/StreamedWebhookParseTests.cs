using System.Text;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.OneMsg.Tests.Webhooks;

/// <summary><see cref="WebhookPayloadParser.ParseAsync"/>: a body parsed straight from a stream, up to a cap.</summary>
public sealed class StreamedWebhookParseTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData(" \r\n ", "empty")]
    [InlineData("\uFEFF", "empty")]
    [InlineData("{\"ack\":[", "not valid JSON")]
    [InlineData("[]", "got an array")]
    [InlineData("{\"ack\":{\"id\":\"m1\"}}", "`ack` must be an array, got an object")]
    [InlineData("{\"ack\":[]} {}", "not valid JSON")]
    public async Task A_streamed_body_gives_the_same_error_sentences(string body, string expected)
    {
        var result = await WebhookPayloadParser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), 1_000, TestContext.Current.CancellationToken);

        Assert.False(result.IsSuccess);
        Assert.False(result.IsTooLarge);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task A_streamed_body_is_read_with_its_byte_order_mark_and_stopped_at_the_cap()
    {
        var ack = Encoding.UTF8.GetBytes("\uFEFF{\"ack\":[{\"id\":\"m1\",\"status\":\"read\"}]}");
        var ct = TestContext.Current.CancellationToken;

        var fits = await WebhookPayloadParser.ParseAsync(new MemoryStream(ack), ack.Length, ct);
        var over = await WebhookPayloadParser.ParseAsync(new MemoryStream(ack), ack.Length - 1, ct);

        Assert.Equal(("m1", DeliveryStatus.Read), (fits.Statuses.Single().MessageId, fits.Statuses.Single().Status));
        Assert.True(over.IsTooLarge);
        Assert.False(over.IsSuccess);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_streamed_body_is_named_where_it_starts()
    {
        byte[] body = [.. "{\"ack\":[{\"id\":\""u8, 0xC8, 0x22, .. "\",\"status\":\"sent\"}]}"u8];

        // Streamed, the JSON parser itself stops at the bad byte and says where.
        Assert.Contains("not valid JSON (line 1, byte ", (await WebhookPayloadParser.ParseAsync(new MemoryStream(body), 1_000, TestContext.Current.CancellationToken)).Error);
    }
}

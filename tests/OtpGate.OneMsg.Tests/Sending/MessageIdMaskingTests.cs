using System.Text;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Sending;

public sealed class MessageIdMaskingTests
{
    [Fact]
    public void A_whatsapp_message_id_carries_the_full_number_so_only_its_random_end_is_shown()
    {
        var payload = Encoding.ASCII.GetString(Convert.FromBase64String(Samples.MessageId["wamid.".Length..]));

        var fingerprint = MessageIdMasking.Fingerprint(Samples.MessageId);

        Assert.Contains(Samples.Phone, payload, StringComparison.Ordinal); // why ids are not logged whole
        Assert.Equal("wamid.…ZCQwA=", fingerprint);
        Assert.EndsWith(fingerprint["wamid.…".Length..], Samples.MessageId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wamid.A==", "wamid.***")]
    [InlineData("short-id", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("gBEGVYFRAmkQAglrzzmS9sJ1Jro", "…sJ1Jro")]
    public void Short_ids_are_hidden_whole_and_other_ids_keep_their_last_six_characters(string? id, string expected)
    {
        Assert.Equal(expected, MessageIdMasking.Fingerprint(id));
    }

    [Fact]
    public void Ids_inside_a_text_or_a_url_query_are_replaced_by_their_fingerprint()
    {
        var escaped = Uri.EscapeDataString(Samples.MessageId);

        var text = MessageIdMasking.Redact($"GET /sandbox/hookInfo?messageId={escaped}&x=1 and {Samples.MessageId}.");

        Assert.Equal($"GET /sandbox/hookInfo?messageId=wamid.…QwA%3D&x=1 and wamid.…ZCQwA=.", text);
    }
}

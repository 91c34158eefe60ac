using System.Globalization;
using System.Text.Json;
using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg;

public sealed partial class OneMsgClient
{
    /// <summary>Reads the channel's WhatsApp Business profile (<c>GET me</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The profile; fields 1MSG left out are null.</returns>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<ChannelProfile> GetProfileAsync(CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, "me", null, null, requireJson: true, cancellationToken);
        var root = document!.RootElement;
        return new ChannelProfile(
            JsonRead.String(root, "about"),
            JsonRead.String(root, "address"),
            JsonRead.String(root, "description"),
            JsonRead.String(root, "email"),
            JsonRead.String(root, "phone"),
            JsonRead.String(root, "vertical"),
            JsonRead.String(root, "photo"),
            JsonRead.UrlList(JsonRead.Property(root, "websites")));
    }

    /// <summary>Reads messages from the channel's history (<c>GET messages</c>; 1MSG keeps it only when history storage is on).</summary>
    /// <param name="query">Filters and paging; null for 1MSG's defaults (the first 100).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages in 1MSG's order; entries without an id are skipped.</returns>
    /// <exception cref="ArgumentException">A negative limit or message number.</exception>
    /// <exception cref="OneMsgException">1MSG refused the call or could not be reached.</exception>
    public async Task<IReadOnlyList<ChannelMessage>> GetMessagesAsync(MessageQuery? query = null, CancellationToken cancellationToken = default)
    {
        using var document = await CallAsync(HttpMethod.Get, "messages", MessagesQueryString(query ?? new MessageQuery()), null,
            requireJson: true, cancellationToken);
        return [.. JsonRead.Array(document!.RootElement, "messages").Select(ReadMessage).OfType<ChannelMessage>()];
    }

    private static string? MessagesQueryString(MessageQuery query)
    {
        if (query.Limit < 0 || query.AfterMessageNumber < 0 || query.BeforeMessageNumber < 0)
        {
            throw new ArgumentException("The limit and message numbers must not be negative.", nameof(query));
        }

        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }

        Add("chatId", query.ChatId);
        Add("msgId", query.MessageId);
        Add("limit", query.Limit?.ToString(CultureInfo.InvariantCulture));
        Add("last", query.Last ? "true" : null);
        Add("lastMessageNumber", query.AfterMessageNumber?.ToString(CultureInfo.InvariantCulture));
        Add("firstMessageNumber", query.BeforeMessageNumber?.ToString(CultureInfo.InvariantCulture));
        Add("min_time", query.From?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Add("max_time", query.To?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? null : string.Join("&", parts);
    }

    private static ChannelMessage? ReadMessage(JsonElement item)
    {
        if (JsonRead.String(item, "id") is not { } id)
        {
            return null;
        }

        // fromMe is a boolean in 1MSG's contract; self (1 = sent through the API) says the same for older payloads.
        var fromMe = JsonRead.Boolean(item, "fromMe") ?? JsonRead.Boolean(item, "self") ?? false;
        long? number = JsonRead.String(item, "messageNumber") is { } text
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new ChannelMessage(number, id, JsonRead.String(item, "chatId"), JsonRead.String(item, "body"), JsonRead.String(item, "type"),
            fromMe, JsonRead.UnixSeconds(item, "time"))
        {
            Author = JsonRead.String(item, "author"),
            SenderName = JsonRead.String(item, "senderName"),
            ChatName = JsonRead.String(item, "chatName"),
            Caption = JsonRead.String(item, "caption"),
            QuotedMessageId = JsonRead.String(item, "quotedMsgId"),
        };
    }
}

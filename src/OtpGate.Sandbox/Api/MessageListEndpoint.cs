using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// <c>GET messages</c>: the channel's message history in 1MSG's shape, here the messages the sandbox sent (all
/// <c>fromMe</c>). Every message has a <c>messageNumber</c>, 1 for the oldest kept, in the order they were accepted.
/// Query: <c>chatId</c>, <c>msgId</c>, <c>min_time</c> and <c>max_time</c> (unix seconds, inclusive) filter;
/// <c>lastMessageNumber</c> pages forward (numbers above it), <c>firstMessageNumber</c> backward (numbers below it,
/// the nearest ones); <c>last=true</c> takes the most recent; <c>limit</c> (default 100, 0 for all) caps the page.
/// </summary>
internal static class MessageListEndpoint
{
    private const int DefaultLimit = 100;

    private static readonly string[] NumberParameters = ["limit", "lastMessageNumber", "firstMessageNumber", "min_time", "max_time"];

    public static IResult Get(HttpContext context, string channelId, TokenCheck tokens, SandboxMessages messages)
    {
        if (tokens.Check(context, channelId) is { } refusal)
        {
            return refusal.ToResult();
        }

        var query = context.Request.Query;
        long?[] numbers = [.. NumberParameters.Select(n => ReadNumber(query, n))];
        if (numbers.Any(n => n < 0))
        {
            return Refusal.Message(StatusCodes.Status400BadRequest,
                "limit, lastMessageNumber, firstMessageNumber, min_time and max_time must be non-negative integers").ToResult();
        }

        var (limit, after, before, minTime, maxTime) = (numbers[0] ?? DefaultLimit, numbers[1], numbers[2], numbers[3], numbers[4]);
        var chatId = query["chatId"].ToString();
        var msgId = query["msgId"].ToString();
        var last = query["last"].ToString().Trim().ToUpperInvariant() is "TRUE" or "1";

        var selected = Numbered(messages)
            .Where(m => chatId.Length == 0 || m.Message.ChatId == chatId)
            .Where(m => msgId.Length == 0 || m.Message.Id == msgId)
            .Where(m => minTime is null || m.Message.AcceptedAt.ToUnixTimeSeconds() >= minTime)
            .Where(m => maxTime is null || m.Message.AcceptedAt.ToUnixTimeSeconds() <= maxTime)
            .Where(m => last || after is null || m.Number > after)
            .Where(m => before is null || m.Number < before)
            .ToList();

        // Paging backward (or asking for the last ones) keeps the messages nearest the end; forward, nearest the start.
        var take = limit == 0 ? selected.Count : (int)Math.Min(limit, selected.Count);
        var page = last || before is not null ? selected.Skip(selected.Count - take) : selected.Take(take);
        return Refusal.Json(new JsonObject { ["messages"] = new JsonArray([.. page.Select(m => (JsonNode)ToJson(m.Number, m.Message))]) });
    }

    private static IEnumerable<(long Number, SandboxMessage Message)> Numbered(SandboxMessages messages) =>
        messages.GetConversations()
            .SelectMany(c => c.Messages)
            .Where(m => !m.IsSms)
            .OrderBy(m => m.AcceptedAt)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select((m, i) => ((long)i + 1, m));

    private static JsonObject ToJson(long number, SandboxMessage message) => new()
    {
        ["messageNumber"] = number,
        ["id"] = message.Id,
        ["body"] = message.Text,
        ["fromMe"] = true,
        ["self"] = 1,
        ["isForwarded"] = 0,
        ["author"] = ChannelProfile.Phone + "@c.us",
        ["time"] = message.AcceptedAt.ToUnixTimeSeconds(),
        ["chatId"] = message.ChatId,
        ["type"] = "chat",
        ["senderName"] = ChannelProfile.Phone + "@c.us",
        ["caption"] = null,
        ["quotedMsgId"] = null,
        ["metadata"] = new JsonObject(),
        ["chatName"] = message.Phone,
    };

    private static long? ReadNumber(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value)
            ? long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1
            : null;
}

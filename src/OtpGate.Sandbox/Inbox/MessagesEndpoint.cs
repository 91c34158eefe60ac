using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Api;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Inbox;

/// <summary>
/// <c>GET {base}/_sandbox/messages?phone=</c>: a phone's messages as JSON (for tests, scripts and the
/// inbox page); without <c>phone</c>, the most recently active conversations (at most <c>limit</c>,
/// default 50, max 500). Not protected by the token: the sandbox is a local developer tool, answering this
/// machine only unless <c>Sandbox:AllowRemoteAccess</c> (see <see cref="Access.LocalOnlyFilter"/>).
/// </summary>
internal static class MessagesEndpoint
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static IResult Get(HttpContext context, SandboxMessages messages)
    {
        var phone = context.Request.Query["phone"].ToString();
        if (!string.IsNullOrWhiteSpace(phone))
        {
            // "+1 212 555 0100" arrives as "1 212 555 0100" when the + is not URL-encoded.
            return PhoneDigits.Strip(phone) is null
                ? Refusal.Message(StatusCodes.Status400BadRequest, "Wrong phone number: only digits, '+', spaces, brackets, dashes and dots are allowed").ToResult()
                : Refusal.Json(new JsonArray([.. messages.GetMessages(phone).Select(m => (JsonNode)ToJson(m))]));
        }

        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, MaxLimit) : DefaultLimit;
        JsonArray conversations = [];
        foreach (var conversation in messages.GetConversations(limit))
        {
            conversations.Add(new JsonObject
            {
                ["phone"] = conversation.Phone,
                ["requestCount"] = conversation.RequestCount,
                ["lastActivityAt"] = conversation.LastActivityAt,
                ["messages"] = new JsonArray([.. conversation.Messages.Select(m => (JsonNode)ToJson(m))]),
            });
        }

        return Refusal.Json(conversations);
    }

    public static JsonObject ToJson(SandboxMessage message) => new()
    {
        ["id"] = message.Id,
        ["phone"] = message.Phone,
        // The inbox draws an SMS as a plain text bubble marked SMS, beside the WhatsApp messages of the same number.
        ["channel"] = message.IsSms ? "sms" : "whatsapp",
        ["chatId"] = message.ChatId,
        ["template"] = new JsonObject
        {
            ["name"] = message.TemplateName,
            ["language"] = message.TemplateLanguage,
            ["namespace"] = message.TemplateNamespace,
            ["category"] = message.Category,
        },
        ["code"] = message.Code,
        ["bodyCode"] = message.BodyCode,
        ["buttonCode"] = message.ButtonCode,
        ["bodyParameters"] = new JsonArray([.. message.BodyParameters.Select(p => (JsonNode)p)]),
        ["text"] = message.Text,
        ["footer"] = message.Footer,
        ["buttonText"] = message.ButtonText,
        ["ttlSeconds"] = (long)message.Ttl.TotalSeconds,
        ["acceptedAt"] = message.AcceptedAt,
        ["expiresAt"] = message.ExpiresAt,
        ["status"] = message.Status,
        ["statuses"] = new JsonArray([.. message.Statuses.Select(s => (JsonNode)new JsonObject
        {
            ["status"] = s.Status,
            ["at"] = s.At,
            ["error"] = s.Error is { } e
                ? new JsonObject { ["code"] = e.Code, ["title"] = e.Title, ["details"] = e.Details, ["text"] = e.Text }
                : null,
        })]),
    };
}

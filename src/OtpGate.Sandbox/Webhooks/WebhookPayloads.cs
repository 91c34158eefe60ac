using System.Globalization;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Delivery;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>
/// The JSON 1MSG pushes: statuses (normalised <c>ack[]</c> or raw Meta <c>statuses[]</c>) and <c>fromMe</c> message
/// echoes (normalised <c>messages[]</c>), one or several per request; and the Meta
/// status object <c>hookInfo</c> lists.
/// </summary>
internal static class WebhookPayloads
{
    /// <summary>
    /// The body of one request carrying <paramref name="events"/>, in order: normalised or raw. A request that carries
    /// echoes and statuses together has both arrays (1MSG tells event kinds apart by the arrays present, and its own
    /// guidance is to read every element of each).
    /// </summary>
    public static string Body(string instanceId, bool raw, IReadOnlyList<WebhookEvent> events) =>
        (raw ? Raw(instanceId, events) : Normalized(instanceId, events)).ToJsonString(Api.Refusal.WireFormat);

    /// <summary><c>{"instanceId", "messages"?: [echo, ...], "ack"?: [{id, chatId, phone, bsuid, userName, status, category, error?}, ...]}</c>.</summary>
    private static JsonObject Normalized(string instanceId, IReadOnlyList<WebhookEvent> events)
    {
        var body = new JsonObject { ["instanceId"] = instanceId };
        if (events.Any(e => e.IsEcho))
        {
            body["messages"] = new JsonArray([.. events.Where(e => e.IsEcho).Select(e => Echo(instanceId, e.Message))]);
        }

        if (events.Any(e => !e.IsEcho))
        {
            body["ack"] = new JsonArray([.. events.Where(e => !e.IsEcho).Select(e => Ack(e.Message, e.Change!))]);
        }

        return body;
    }

    /// <summary>
    /// Meta's <c>whatsapp_business_account</c> envelope around the events' status objects (one <c>statuses</c> array).
    /// Echoes never come this way: Meta does not echo messages its Cloud API sent, and the worker leaves them out.
    /// </summary>
    private static JsonObject Raw(string instanceId, IReadOnlyList<WebhookEvent> events) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["instanceId"] = instanceId,
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = instanceId,
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "messages",
                ["value"] = new JsonObject
                {
                    ["messaging_product"] = "whatsapp",
                    ["metadata"] = new JsonObject { ["phone_number_id"] = instanceId },
                    ["statuses"] = new JsonArray([.. events.Where(e => !e.IsEcho).Select(e => MetaStatus(e.Message, e.Change!))]),
                },
            }),
        }),
    };

    /// <summary>
    /// A normalised <c>fromMe</c> echo, with the keys production message payloads carry. <c>self</c> is 1 where
    /// <c>fromMe</c> is true, both forms being seen in the field; <c>author</c> is the channel, as the sandbox has
    /// no business number of its own.
    /// </summary>
    private static JsonObject Echo(string instanceId, SandboxMessage message) => new()
    {
        ["id"] = message.Id,
        ["body"] = message.Text,
        ["self"] = 1,
        ["time"] = message.AcceptedAt.ToUnixTimeSeconds(),
        ["type"] = "chat",
        ["author"] = instanceId + "@c.us",
        ["chatId"] = message.ChatId,
        ["fromMe"] = true,
        ["isForwarded"] = false,
        ["chatName"] = message.UserName,
        ["senderName"] = instanceId,
        ["quotedMsgId"] = null,
    };

    private static JsonObject Ack(SandboxMessage message, SandboxStatusChange change)
    {
        var ack = new JsonObject
        {
            ["id"] = message.Id,
            ["chatId"] = message.ChatId,
            ["phone"] = message.Phone,
            ["bsuid"] = message.Bsuid,
            ["userName"] = message.UserName,
            ["status"] = change.Status,
            ["category"] = message.Category.ToLowerInvariant(),
        };
        if (change.Error is { } error)
        {
            ack["error"] = error.Text;
        }

        return ack;
    }

    /// <summary>A Meta status object: id, status, timestamp (unix seconds as a string), recipient_id, pricing, errors for failures.</summary>
    public static JsonObject MetaStatus(SandboxMessage message, SandboxStatusChange change)
    {
        var status = new JsonObject
        {
            ["id"] = message.Id,
            ["status"] = change.Status,
            ["timestamp"] = change.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["recipient_id"] = message.Phone,
            ["pricing"] = new JsonObject
            {
                ["billable"] = true,
                ["category"] = message.Category.ToLowerInvariant(),
                ["pricing_model"] = "PMP",
            },
        };
        if (change.Error is { } error)
        {
            status["errors"] = new JsonArray(new JsonObject
            {
                ["code"] = error.Code,
                ["title"] = error.Title,
                ["message"] = error.Title,
                ["error_data"] = new JsonObject { ["details"] = error.Details },
                ["href"] = DeliveryErrors.ErrorCodesHref,
            });
        }

        return status;
    }
}

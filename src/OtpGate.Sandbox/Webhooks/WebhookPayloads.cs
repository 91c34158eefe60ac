using System.Globalization;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Delivery;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>The JSON 1MSG pushes for statuses (normalised <c>ack[]</c> or raw Meta, one or several per request) and the Meta status object <c>hookInfo</c> lists.</summary>
internal static class WebhookPayloads
{
    /// <summary>The body of one request carrying <paramref name="events"/>, in order: normalised or raw.</summary>
    public static string Body(string instanceId, bool raw, IReadOnlyList<WebhookEvent> events) =>
        (raw ? Raw(instanceId, events) : Normalized(instanceId, events)).ToJsonString(Api.Refusal.WireFormat);

    /// <summary><c>{"instanceId": "...", "ack": [{id, chatId, phone, status, category, error?}, ...]}</c>, one entry per event.</summary>
    private static JsonObject Normalized(string instanceId, IEnumerable<WebhookEvent> events) => new()
    {
        ["instanceId"] = instanceId,
        ["ack"] = new JsonArray([.. events.Select(e => Ack(e.Message, e.Change))]),
    };

    /// <summary>Meta's <c>whatsapp_business_account</c> envelope around the events' status objects (one <c>statuses</c> array).</summary>
    private static JsonObject Raw(string instanceId, IEnumerable<WebhookEvent> events) => new()
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
                    ["statuses"] = new JsonArray([.. events.Select(e => MetaStatus(e.Message, e.Change))]),
                },
            }),
        }),
    };

    private static JsonObject Ack(SandboxMessage message, SandboxStatusChange change)
    {
        var ack = new JsonObject
        {
            ["id"] = message.Id,
            ["chatId"] = message.ChatId,
            ["phone"] = message.Phone,
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

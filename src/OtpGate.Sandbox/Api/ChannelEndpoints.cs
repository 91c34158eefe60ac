using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Templates;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Api;

/// <summary><c>GET templates</c>, <c>GET hookInfo</c>, <c>GET status</c> and the 404 for unknown methods.</summary>
internal static class ChannelEndpoints
{
    private const int DefaultTemplatePage = 100;

    public static IResult GetTemplates(HttpContext context, string channelId, TokenCheck tokens, TemplateCatalog catalog)
    {
        if (tokens.Check(context, channelId) is { } refusal)
        {
            return refusal.ToResult();
        }

        var limit = ReadInt(context, "limit") ?? DefaultTemplatePage;
        var offset = ReadInt(context, "offset") ?? 0;
        if (limit < 0 || offset < 0)
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, "limit and offset must be non-negative integers").ToResult();
        }

        JsonArray page = [.. catalog.All.Skip(offset).Take(limit).Select(t => (JsonNode)t.ToJson())];
        return Refusal.Json(new JsonObject { ["total"] = catalog.All.Count, ["templates"] = page });
    }

    /// <summary>Every status recorded for the message as Meta status objects; an empty list for an unknown id.</summary>
    public static IResult GetHookInfo(HttpContext context, string channelId, TokenCheck tokens, SandboxMessages messages)
    {
        if (tokens.Check(context, channelId) is { } refusal)
        {
            return refusal.ToResult();
        }

        var messageId = context.Request.Query["messageId"].ToString();
        if (string.IsNullOrEmpty(messageId))
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, "messageId is not defined").ToResult();
        }

        JsonArray hooks = [];
        if (messages.FindMessage(messageId) is { IsSms: false } message)
        {
            foreach (var change in message.Statuses)
            {
                hooks.Add(WebhookPayloads.MetaStatus(message, change));
            }
        }

        return Refusal.Json(new JsonObject { ["hooks"] = hooks });
    }

    /// <summary>The keys 1MSG's CLI reads from <c>status</c>: the channel state, the account status and whether Marketing Messages Lite is offered.</summary>
    public static IResult GetStatus(HttpContext context, string channelId, TokenCheck tokens) =>
        tokens.Check(context, channelId) is { } refusal
            ? refusal.ToResult()
            : Refusal.Json(new JsonObject { ["status"] = "connected", ["accountStatus"] = "active", ["mm_lite_available"] = false });

    public static IResult Unknown(HttpContext context) =>
        Refusal.Error(StatusCodes.Status404NotFound, $"Unknown method {context.Request.Method} {context.Request.Path}").ToResult();

    private static int? ReadInt(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value)
            ? int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : -1
            : null;
}

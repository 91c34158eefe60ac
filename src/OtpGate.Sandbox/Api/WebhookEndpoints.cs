using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Api;

/// <summary><c>GET|POST {channel}/webhook</c> and <c>GET|POST {channel}/settings</c>.</summary>
internal static class WebhookEndpoints
{
    public static IResult GetWebhook(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry)
    {
        if (tokens.Check(context, channelId) is { } refusal)
        {
            return refusal.ToResult();
        }

        var settings = registry.Current;
        JsonArray statuses = [];
        foreach (var url in settings.Urls)
        {
            statuses.Add(new JsonObject
            {
                ["url"] = url.Url,
                ["status"] = url.Enabled ? "enabled" : "disabled",
                ["enabled"] = url.Enabled,
                ["failures"] = url.Failures,
                ["lastError"] = url.LastError,
            });
        }

        return Refusal.Json(new JsonObject { ["webhookUrl"] = UrlArray(settings), ["webhookStatuses"] = statuses });
    }

    /// <summary>Replaces the list (a string or an array; at most 5) and so re-enables every URL in it.</summary>
    public static async Task<IResult> SetWebhookAsync(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if ((tokens.Check(context, channelId, body) ?? (body is null ? Refusal.MalformedBody : null)) is { } refusal)
        {
            return refusal.ToResult();
        }

        if (!body!.Value.TryGetProperty("webhookUrl", out var value))
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, "webhookUrl is not defined").ToResult();
        }

        if (ReadUrls(value, out var urls) is { } invalid)
        {
            return invalid.ToResult();
        }

        registry.SetUrls(urls);
        return Refusal.Json(new JsonObject { ["set"] = true, ["webhookUrl"] = UrlArray(registry.Current) });
    }

    public static IResult GetSettings(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry) =>
        tokens.Check(context, channelId) is { } refusal ? refusal.ToResult() : Refusal.Json(Settings(registry.Current));

    /// <summary>Changes only the fields sent; answers the full settings.</summary>
    public static async Task<IResult> UpdateSettingsAsync(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if ((tokens.Check(context, channelId, body) ?? (body is null ? Refusal.MalformedBody : null)) is { } refusal)
        {
            return refusal.ToResult();
        }

        var request = body!.Value;
        List<string>? urls = null;
        if (request.TryGetProperty("webhookUrl", out var value) && ReadUrls(value, out urls) is { } invalid)
        {
            return invalid.ToResult();
        }

        bool? ack = null, raw = null, guaranteed = null;
        if ((ReadFlag(request, "ackNotificationsOn", ref ack) ?? ReadFlag(request, "rawHooks", ref raw) ?? ReadFlag(request, "guaranteedHooks", ref guaranteed)) is { } wrongFlag)
        {
            return wrongFlag.ToResult();
        }

        if (urls is not null)
        {
            registry.SetUrls(urls);
        }

        registry.Update(ack, raw, guaranteed);
        return Refusal.Json(Settings(registry.Current));
    }

    private static JsonObject Settings(WebhookSettings settings) => new()
    {
        ["webhookUrl"] = UrlArray(settings),
        ["ackNotificationsOn"] = settings.AckNotificationsOn,
        ["rawHooks"] = settings.RawHooks,
        ["guaranteedHooks"] = settings.GuaranteedHooks,
    };

    private static JsonArray UrlArray(WebhookSettings settings) => [.. settings.UrlList.Select(u => (JsonNode)u)];

    private static Refusal? ReadUrls(JsonElement value, out List<string> urls)
    {
        urls = [];
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                // An empty string clears the list; a legacy comma-separated string is split.
                urls.AddRange(value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            case JsonValueKind.Array when value.EnumerateArray().All(u => u.ValueKind == JsonValueKind.String):
                urls.AddRange(value.EnumerateArray().Select(u => u.GetString()!.Trim()).Where(u => u.Length > 0));
                break;
            case JsonValueKind.Null:
                break;
            default:
                return Refusal.Message(StatusCodes.Status400BadRequest, "webhookUrl must be a URL or a list of URLs");
        }

        urls = [.. urls.Distinct(StringComparer.Ordinal)];
        if (urls.Count > WebhookRegistry.MaxUrls)
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, $"Too many webhook URLs: at most {WebhookRegistry.MaxUrls} are allowed");
        }

        var wrong = urls.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"));
        return wrong is null ? null : Refusal.Message(StatusCodes.Status400BadRequest, $"Wrong webhook URL: {wrong} is not an absolute http(s) URL");
    }

    private static Refusal? ReadFlag(JsonElement request, string name, ref bool? flag)
    {
        if (!request.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Refusal.Message(StatusCodes.Status400BadRequest, $"{name} must be true or false");
        }

        flag = value.GetBoolean();
        return null;
    }
}

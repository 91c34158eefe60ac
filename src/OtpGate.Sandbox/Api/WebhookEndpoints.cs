using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Api;

/// <summary><c>GET|POST {channel}/webhook</c> and <c>GET|POST {channel}/settings</c>.</summary>
internal static class WebhookEndpoints
{
    public static IResult GetWebhook(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry, IOptions<SandboxOptions> options)
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

        return Refusal.Json(new JsonObject
        {
            ["webhookUrl"] = WebhookUrls.Write(settings.UrlList, options.Value.WebhookUrlForm),
            ["webhookStatuses"] = statuses,
        });
    }

    /// <summary>
    /// Replaces the list (a string or an array; at most 5) and so re-enables every URL in it. Answers 1MSG's
    /// <c>{set, message}</c>, the message being the list as set (URLs joined by commas; <c>""</c> for none).
    /// </summary>
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

        if (WebhookUrls.Read(value, out var urls) is { } invalid)
        {
            return invalid.ToResult();
        }

        registry.SetUrls(urls);
        return Refusal.Json(new JsonObject { ["set"] = true, ["message"] = string.Join(",", registry.Current.UrlList) });
    }

    public static IResult GetSettings(HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry, IOptions<SandboxOptions> options) =>
        tokens.Check(context, channelId) is { } refusal ? refusal.ToResult() : Refusal.Json(Settings(registry.Current, options.Value.WebhookUrlForm));

    /// <summary>Changes only the fields sent; answers the full settings and, in <c>update</c>, the fields this request changed.</summary>
    public static async Task<IResult> UpdateSettingsAsync(
        HttpContext context, string channelId, TokenCheck tokens, WebhookRegistry registry, IOptions<SandboxOptions> options)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if ((tokens.Check(context, channelId, body) ?? (body is null ? Refusal.MalformedBody : null)) is { } refusal)
        {
            return refusal.ToResult();
        }

        var request = body!.Value;
        List<string>? urls = null;
        if (request.TryGetProperty("webhookUrl", out var value) && WebhookUrls.Read(value, out urls) is { } invalid)
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
        var form = options.Value.WebhookUrlForm;
        var answer = Settings(registry.Current, form);
        answer["update"] = Changed(urls, form, ack, raw, guaranteed);
        return Refusal.Json(answer);
    }

    private static JsonObject Settings(WebhookSettings settings, WebhookUrlForm form) => new()
    {
        ["webhookUrl"] = WebhookUrls.Write(settings.UrlList, form),
        ["ackNotificationsOn"] = settings.AckNotificationsOn,
        ["rawHooks"] = settings.RawHooks,
        ["guaranteedHooks"] = settings.GuaranteedHooks,
    };

    // 1MSG's contract marks update as required: "an object that lists the fields changed in the request".
    private static JsonObject Changed(List<string>? urls, WebhookUrlForm form, bool? ack, bool? raw, bool? guaranteed)
    {
        var update = new JsonObject();
        if (urls is not null)
        {
            update["webhookUrl"] = WebhookUrls.Write(urls, form);
        }

        foreach (var (name, flag) in new[] { ("ackNotificationsOn", ack), ("rawHooks", raw), ("guaranteedHooks", guaranteed) })
        {
            if (flag is { } set)
            {
                update[name] = set;
            }
        }

        return update;
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

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Api;

/// <summary><c>webhookUrl</c> on the wire: read from a request in every form 1MSG accepts, written in the form chosen.</summary>
internal static class WebhookUrls
{
    /// <summary>
    /// The value of <c>webhookUrl</c> in a <c>GET</c> answer. 1MSG's published contract types it as a string and its
    /// typed SDKs fail on an array, so one URL is a string; production channels with several URLs answer an array.
    /// </summary>
    public static JsonNode? Write(IReadOnlyList<string> urls, WebhookUrlForm form) => (form, urls.Count) switch
    {
        (WebhookUrlForm.Array, _) => new JsonArray([.. urls.Select(u => (JsonNode)u)]),
        (WebhookUrlForm.CommaSeparated, _) => string.Join(",", urls),
        (WebhookUrlForm.NullWhenEmpty, 0) => null,
        (_, 0) => "",
        (_, 1) => urls[0],
        _ => new JsonArray([.. urls.Select(u => (JsonNode)u)]),
    };

    /// <summary>A string (an empty one clears the list; a legacy comma-separated one is split), an array of strings, or null.</summary>
    public static Refusal? Read(JsonElement value, out List<string> urls)
    {
        urls = [];
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
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
}

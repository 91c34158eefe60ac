using System.Text.Json;

namespace OtpGate.OneMsg.Json;

/// <summary>Finds 1MSG's explanation in an answer: there is no uniform error envelope, so several places are tried.</summary>
internal static class ResponseText
{
    private const int MaxMessageLength = 500;

    /// <summary>
    /// The message from <c>message</c>, <c>error</c> (a string, or an object with <c>message</c>,
    /// <c>error_user_msg</c> or <c>error_user_title</c>), <c>response.error</c> or <c>description</c>;
    /// the body itself when it is short plain text; otherwise null. Not redacted: callers redact.
    /// </summary>
    public static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        if (TryParse(body) is { } document)
        {
            using (document)
            {
                return document.RootElement.ValueKind == JsonValueKind.Object ? FromObject(document.RootElement) : null;
            }
        }

        // 403 "subscription blocked" and proxies answer in plain text; keep it if it looks like a sentence.
        var text = body.Trim();
        return text.StartsWith('<') ? null : Truncate(text);
    }

    /// <summary>Parses JSON, or returns null when the text is not JSON.</summary>
    public static JsonDocument? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? FromObject(JsonElement root)
    {
        var text = JsonRead.String(root, "message")
            ?? ErrorValue(JsonRead.Property(root, "error"))
            ?? (JsonRead.Property(root, "response") is { } response ? ErrorValue(JsonRead.Property(response, "error")) : null)
            ?? JsonRead.String(root, "description");
        return text is null ? null : Truncate(text.Trim());
    }

    private static string? ErrorValue(JsonElement? error) => error switch
    {
        { ValueKind: JsonValueKind.String } e => JsonRead.AsString(e),
        { ValueKind: JsonValueKind.Object } e => JsonRead.FirstString(e, "error_user_msg", "message", "error_user_title", "title"),
        _ => null,
    };

    private static string Truncate(string text) =>
        text.Length <= MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaxMessageLength - 1), "…");
}

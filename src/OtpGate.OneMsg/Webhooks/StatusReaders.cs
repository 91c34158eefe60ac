using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg.Webhooks;

/// <summary>
/// Reads one status element into a <see cref="StatusEvent"/>: Meta's status object (raw hooks, <c>hookInfo</c>)
/// and 1MSG's normalised ack share this reader, because in practice their keys mix. Returns null for an element
/// without an id or a status, which the caller skips.
/// </summary>
internal static partial class StatusReaders
{
    public static StatusEvent? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || JsonRead.String(element, "id") is not { } id
            || JsonRead.String(element, "status") is not { } word)
        {
            return null;
        }

        var (errorText, errorCode) = ReadError(element);
        return new StatusEvent(
            MessageId: id,
            Status: DeliveryStatusWords.Parse(word),
            RawStatus: word,
            Timestamp: JsonRead.UnixSeconds(element, "timestamp") ?? JsonRead.UnixSeconds(element, "time"),
            Recipient: JsonRead.FirstString(element, "phone", "recipient_id") ?? DigitsOfChatId(JsonRead.String(element, "chatId")),
            ErrorText: errorText,
            ErrorCode: errorCode)
        {
            RecipientUserId = JsonRead.String(element, "bsuid"),
        };
    }

    /// <summary>The digits before the <c>@</c> of a chat id (<c>12125550100@c.us</c> → <c>12125550100</c>); null when they are not all digits.</summary>
    public static string? DigitsOfChatId(string? chatId)
    {
        if (chatId is null)
        {
            return null;
        }

        var at = chatId.IndexOf('@', StringComparison.Ordinal);
        var local = at >= 0 ? chatId[..at] : chatId;
        return local.Length > 0 && local.All(char.IsAsciiDigit) ? local : null;
    }

    /// <summary>
    /// Meta: <c>errors[0]</c> with <c>code</c>, <c>title</c>/<c>message</c> and <c>error_data.details</c>.
    /// 1MSG's normalised acks: <c>error</c> as text (sometimes an object shaped like Meta's).
    /// </summary>
    private static (string? Text, int? Code) ReadError(JsonElement element)
    {
        if (JsonRead.Array(element, "errors").FirstOrDefault() is { ValueKind: JsonValueKind.Object } metaError)
        {
            return FromMetaError(metaError);
        }

        return JsonRead.Property(element, "error") switch
        {
            { ValueKind: JsonValueKind.Object } error => FromMetaError(error),
            { } error when JsonRead.AsString(error) is { } text => (text, RecogniseCode(text)),
            _ => (null, null),
        };
    }

    private static (string? Text, int? Code) FromMetaError(JsonElement error)
    {
        var title = JsonRead.FirstString(error, "title", "message");
        var details = JsonRead.Property(error, "error_data") is { } data ? JsonRead.String(data, "details") : null;
        var text = (title, details) switch
        {
            (null, null) => null,
            (null, _) => details,
            (_, null) => title,
            // Meta's details often repeat the title ("Message undeliverable" / "Message Undeliverable: the recipient …").
            _ when details.StartsWith(title, StringComparison.OrdinalIgnoreCase) => details,
            _ => $"{title}: {details}",
        };
        return (text, JsonRead.Int32(error, "code") ?? (text is null ? null : RecogniseCode(text)));
    }

    /// <summary>
    /// 1MSG's normalised acks carry the reason as text only. Known texts map to Meta's code; a code written in
    /// the text, such as "(131026)", is taken as is. Anything unclear stays null rather than guessed.
    /// </summary>
    public static int? RecogniseCode(string text)
    {
        if (MetaCodeInText().Match(text) is { Success: true } match)
        {
            return int.Parse(match.ValueSpan, CultureInfo.InvariantCulture);
        }

        if (text.Contains("experiment", StringComparison.OrdinalIgnoreCase))
        {
            return 130472;
        }

        if (text.Contains("healthy ecosystem", StringComparison.OrdinalIgnoreCase))
        {
            return 131049;
        }

        if (text.Contains("re-engagement", StringComparison.OrdinalIgnoreCase) || text.Contains("24 hour", StringComparison.OrdinalIgnoreCase))
        {
            return 131047;
        }

        if (text.Contains("undeliverable", StringComparison.OrdinalIgnoreCase) || text.Contains("not a whatsapp user", StringComparison.OrdinalIgnoreCase))
        {
            return 131026;
        }

        return null;
    }

    // Meta's WhatsApp error codes in the 13xxxx range, standing alone (not inside a longer number).
    [GeneratedRegex(@"(?<![0-9])13[0-9]{4}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex MetaCodeInText();
}

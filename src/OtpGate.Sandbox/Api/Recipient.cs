using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// Who a sendTemplate goes to: a phone's digits (<c>phone</c>, or <c>chatId</c> <c>digits@c.us</c>), or a WhatsApp
/// business-scoped user id (<c>bsuid</c>, or <c>chatId</c> <c>BSUID@lid</c>), which Meta gives users who hide their number.
/// </summary>
internal sealed partial record Recipient(string? Phone, string? Bsuid)
{
    /// <summary>Meta's refusal of a BSUID recipient for a message that needs a phone number (authentication templates do).</summary>
    public const string BsuidNotSupported = "(131062) Business-scoped User ID (BSUID) recipients are not supported for this message";

    /// <summary>
    /// Step 3 of the validation: exactly one of <c>phone</c> and <c>chatId</c>, or a <c>bsuid</c> (a phone given with it
    /// wins, as on Meta's API). The refusals name the field that is wrong, so a chat id is never called a phone number.
    /// </summary>
    public static Refusal? Read(JsonElement request, out Recipient recipient)
    {
        recipient = new Recipient(null, null);
        var phone = request.TryGetProperty("phone", out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => "",
        } : null;
        var chatId = request.GetString("chatId")?.Trim();
        var bsuid = request.GetString("bsuid")?.Trim();
        var hasPhone = !string.IsNullOrWhiteSpace(phone);
        var hasChatId = !string.IsNullOrEmpty(chatId);
        if (hasPhone && hasChatId)
        {
            return Wrong("Wrong request: give exactly one of phone and chatId");
        }

        if (hasPhone)
        {
            return ReadPhone(phone!, out recipient);
        }

        if (hasChatId)
        {
            return ReadChatId(chatId!, out recipient);
        }

        if (!string.IsNullOrEmpty(bsuid))
        {
            return ReadBsuid(bsuid, "bsuid", out recipient);
        }

        return Wrong("Wrong phone number: give phone (digits with the country code), chatId (<digits>@c.us or <BSUID>@lid) or bsuid");
    }

    private static Refusal? ReadPhone(string phone, out Recipient recipient)
    {
        recipient = new Recipient(null, null);
        var digits = PhoneDigits.Strip(phone);
        if (digits is null)
        {
            return Wrong("Wrong phone number: only digits, '+', spaces, brackets, dashes and dots are allowed");
        }

        if (digits.Length is < PhoneDigits.MinDigits or > PhoneDigits.MaxDigits)
        {
            return Wrong($"Wrong phone number: expected {PhoneDigits.MinDigits} to {PhoneDigits.MaxDigits} digits with the country code, got {digits.Length}");
        }

        recipient = new Recipient(digits, null);
        return null;
    }

    private static Refusal? ReadChatId(string chatId, out Recipient recipient)
    {
        recipient = new Recipient(null, null);
        if (chatId.EndsWith("@lid", StringComparison.Ordinal))
        {
            return ReadBsuid(chatId[..^4], "chatId", out recipient);
        }

        var digits = chatId.EndsWith("@c.us", StringComparison.Ordinal) ? chatId[..^5] : null;
        if (digits is null)
        {
            return Wrong("Wrong chatId: a template goes to one person, <digits>@c.us or <BSUID>@lid");
        }

        if (digits.Length is < PhoneDigits.MinDigits or > PhoneDigits.MaxDigits || !digits.All(char.IsAsciiDigit))
        {
            return Wrong($"Wrong chatId: expected {PhoneDigits.MinDigits} to {PhoneDigits.MaxDigits} digits with the country code before @c.us");
        }

        recipient = new Recipient(digits, null);
        return null;
    }

    private static Refusal? ReadBsuid(string value, string field, out Recipient recipient)
    {
        recipient = new Recipient(null, null);
        if (!BsuidPattern().IsMatch(value))
        {
            return Wrong($"Wrong {field}: a business-scoped user id looks like a country code, a dot and an id, e.g. US.13491208655302741918");
        }

        recipient = new Recipient(null, value);
        return null;
    }

    private static Refusal Wrong(string message) => Refusal.Message(StatusCodes.Status400BadRequest, message);

    // The shape 1MSG's n8n node accepts as a BSUID: a 2-16 character prefix (a country code), a dot, then the id.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{2,16}\.[A-Za-z0-9._:-]+$")]
    private static partial Regex BsuidPattern();
}

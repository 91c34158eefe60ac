using System.Text.RegularExpressions;
using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Phones;

namespace OtpGate.Server.Logging;

/// <summary>
/// ASP.NET Core's request logs, the HttpClient factory's logs and the sandbox's callback logs all write URLs, and some
/// URLs carry what must not be logged: the webhook secret in its path (<c>/webhooks/1msg/{secret}</c>), a message id
/// (base64 of the number) in the embedded sandbox's <c>hookInfo?messageId=</c>, a phone number in its
/// <c>_sandbox/messages?phone=</c>. Every log message, structured value and scope goes through <see cref="Redact"/>,
/// which keeps the route and drops the secret, cuts message ids to their fingerprint and masks phone numbers.
/// </summary>
internal static partial class LogRedaction
{
    public const string Marker = "/webhooks/1msg/";

    public static bool NeedsRedaction(string? text) => text is not null
        && (text.Contains(Marker, StringComparison.OrdinalIgnoreCase)
            || text.Contains("wamid.", StringComparison.OrdinalIgnoreCase)
            || text.Contains("phone=", StringComparison.OrdinalIgnoreCase)
            || text.Contains("chatId=", StringComparison.OrdinalIgnoreCase)
            || text.Contains("messageId=", StringComparison.OrdinalIgnoreCase));

    public static string Redact(string text)
    {
        if (!NeedsRedaction(text))
        {
            return text;
        }

        var redacted = MessageIdMasking.Redact(SecretSegment().Replace(text, "$1***"));
        return QueryValue().Replace(redacted, MaskQueryValue);
    }

    public static object? RedactValue(object? value) => value switch
    {
        string s => Redact(s),
        null => null,
        Uri or Microsoft.AspNetCore.Http.PathString or Microsoft.AspNetCore.Http.QueryString => Redact(value.ToString()!),
        _ => value,
    };

    [GeneratedRegex("(/webhooks/1msg/)[^/?#\\s\"'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSegment();

    private static string MaskQueryValue(Match match)
    {
        var name = match.Groups["name"].Value;
        var value = Uri.UnescapeDataString(match.Groups["value"].Value);
        return name + (name.EndsWith("messageId=", StringComparison.OrdinalIgnoreCase) ? MessageIdMasking.Fingerprint(value) : PhoneMasking.Mask(value));
    }

    // A wamid already cut to its fingerprint (MessageIdMasking.Redact, just before) is left as it is.
    [GeneratedRegex("(?<name>[?&](?:phone|chatId|messageId)=)(?<value>(?!wamid\\.…)[^&#\\s\"'<>|]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();
}

using System.Text.RegularExpressions;

namespace OtpGate.OneMsg.Sending;

/// <summary>
/// The one helper that turns a WhatsApp message id into something safe to log. Meta's ids are <c>wamid.</c> and the
/// base64 of a record that starts with the recipient's full number, so a message id in a log is a phone number in
/// clear for anyone who decodes it.
/// </summary>
public static partial class MessageIdMasking
{
    /// <summary>How many characters of the end of an id a fingerprint keeps.</summary>
    public const int VisibleCharacters = 6;

    private const string Prefix = "wamid.";

    /// <summary>
    /// A short fingerprint: <c>wamid.…ZCQwA=</c>. The end of a <c>wamid.</c> encodes its random part, never the number,
    /// so the fingerprint tells messages apart in logs and still finds the message in the database
    /// (<c>message_id LIKE '%ZCQwA='</c>). Ids too short to show a part of safely become <c>***</c>.
    /// </summary>
    public static string Fingerprint(string? messageId)
    {
        var id = messageId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return "";
        }

        var prefix = id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? id[..Prefix.Length] : "";
        var rest = id.Length - prefix.Length;
        // Showing 6 characters of a 10-character id would show most of it.
        return rest < 3 * VisibleCharacters ? prefix + "***" : string.Concat(prefix, "…", id.AsSpan(id.Length - VisibleCharacters));
    }

    /// <summary>Replaces every <c>wamid.</c> id in <paramref name="text"/> (a URL, an error message) by its fingerprint.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(Prefix, StringComparison.OrdinalIgnoreCase) ? WamidPattern().Replace(text, m => Fingerprint(m.Value)) : text;
    }

    // Base64 (standard or URL-safe) with its padding, also percent-encoded ("%3D") as in a hookInfo query string.
    [GeneratedRegex("wamid\\.(?:[A-Za-z0-9+/_=-]|%[0-9A-Fa-f]{2})+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WamidPattern();
}

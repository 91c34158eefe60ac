namespace OtpGate.Verification.Channels;

/// <summary>
/// Message ids in the engine's logs. A channel's ids may encode the recipient (WhatsApp's <c>wamid.</c> ids are the base64
/// of a record that starts with the number), so a log shows only the id's kind and its last characters, which tell
/// messages apart and still find one in the database (<c>message_id LIKE '%ZCQwA='</c>).
/// </summary>
public static class MessageIdFingerprint
{
    private const int VisibleCharacters = 6;

    /// <summary><c>wamid.HBgM…ZCQwA=</c> becomes <c>wamid.…ZCQwA=</c>; an id too short to show part of safely becomes <c>***</c> (after its kind).</summary>
    public static string Of(string? messageId)
    {
        var id = messageId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return "";
        }

        // The kind is a short run of letters ending in a dot ("wamid."), as channels prefix their ids.
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        var prefix = dot is > 0 and <= 8 && id[..dot].All(char.IsAsciiLetter) ? id[..(dot + 1)] : "";
        var rest = id.Length - prefix.Length;
        return rest < 3 * VisibleCharacters ? prefix + "***" : string.Concat(prefix, "…", id.AsSpan(id.Length - VisibleCharacters));
    }
}

using System.Text.RegularExpressions;
using OtpGate.OneMsg.Sending;

namespace OtpGate.OneMsg;

/// <summary>
/// Removes secrets from text that came back from 1MSG before it is kept in a result, an exception or a log:
/// 1MSG's 401 answer quotes the token it was given, and error texts may quote the parameters (the code).
/// </summary>
internal static partial class Redactor
{
    public const string Mask = "***";

    // Values shorter than this are not searched for: replacing "12" everywhere would mangle the text and protect nothing.
    private const int MinSecretLength = 4;

    public static string Redact(string text, string? token, IReadOnlyList<string>? otherSecrets = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = QuotedTokenPattern().Replace(text, m => m.Groups["before"].Value + Mask + m.Groups["after"].Value);
        if (token is { Length: >= MinSecretLength })
        {
            result = result.Replace(token, Mask, StringComparison.Ordinal);
        }

        if (otherSecrets is not null)
        {
            foreach (var secret in otherSecrets.Where(s => s is { Length: >= MinSecretLength }).OrderByDescending(s => s.Length))
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return result;
    }

    /// <summary>Redacts, then cuts to <paramref name="maxLength"/> characters with an ellipsis.</summary>
    public static string RedactAndTruncate(string text, int maxLength, string? token, IReadOnlyList<string>? otherSecrets = null)
    {
        var redacted = Redact(text, token, otherSecrets);
        return redacted.Length <= maxLength ? redacted : string.Concat(redacted.AsSpan(0, maxLength - 1), "…");
    }

    /// <summary>
    /// Text from 1MSG made fit for a log line: secrets redacted, message ids cut to a fingerprint (they encode the
    /// number), and runs of 7 or more digits (phone numbers 1MSG echoes, such as "Sent to 12125550100@c.us") masked.
    /// Six-digit Meta error codes stay readable.
    /// </summary>
    public static string? ForLog(string? text, string? token, IReadOnlyList<string>? otherSecrets = null) =>
        text is null ? null : LongDigitRun().Replace(MessageIdMasking.Redact(Redact(text, token, otherSecrets)), m => RecipientMasking.Mask(m.Value));

    [GeneratedRegex("[0-9]{7,}", RegexOptions.CultureInvariant)]
    private static partial Regex LongDigitRun();

    // 1MSG: Wrong token "xxx7i1crxjxpkxxx" for channel "123". The quoted value is (part of) the token we sent.
    [GeneratedRegex("""(?<before>token\W{0,3}\s*\\?["'])(?<value>[^"'\\]{1,4096})(?<after>\\?["'])""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedTokenPattern();
}
